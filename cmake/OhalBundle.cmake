# ohal_add_bundle(<target> OUTPUT <file> IMAGES <format[@target]=path>... [DEPENDS <targets>...])
# Packs kernel images into one bundle with ohal-pack at build time. Paths may be generator
# expressions such as $<TARGET_FILE:kernels>.
function(ohal_add_bundle target)
  cmake_parse_arguments(ARG "" "OUTPUT" "IMAGES;DEPENDS" ${ARGN})
  if(NOT ARG_OUTPUT OR NOT ARG_IMAGES)
    message(FATAL_ERROR "ohal_add_bundle(${target}) needs OUTPUT and IMAGES")
  endif()
  set(files)
  foreach(image ${ARG_IMAGES})
    string(REGEX REPLACE "^[^=]*=" "" file "${image}")
    list(APPEND files "${file}")
  endforeach()
  add_custom_command(OUTPUT ${ARG_OUTPUT}
    COMMAND $<TARGET_FILE:ohal-pack> -o ${ARG_OUTPUT} ${ARG_IMAGES}
    DEPENDS ohal-pack ${ARG_DEPENDS} ${files}
    COMMENT "Packing kernel bundle ${ARG_OUTPUT}"
    VERBATIM)
  add_custom_target(${target} ALL DEPENDS ${ARG_OUTPUT})
endfunction()
