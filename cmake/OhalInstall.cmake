# Install layout: lib/, lib/openai_hal/ (plugins), include/, bin/, a CMake package and a
# pkg-config file.
include(CMakePackageConfigHelpers)
install(TARGETS openai_hal openai_hal_headers EXPORT openai_halTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/openai_hal DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT openai_halTargets NAMESPACE openai_hal::
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/openai_hal)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/openai_halConfig.cmake.in
  ${PROJECT_BINARY_DIR}/openai_halConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/openai_hal)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/openai_halConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/openai_halConfig.cmake
  ${PROJECT_BINARY_DIR}/openai_halConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/openai_hal)
# The .pc file finds its prefix relative to itself, so the install can be moved.
file(RELATIVE_PATH OHAL_PC_TO_PREFIX "/root/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/root")
configure_file(${PROJECT_SOURCE_DIR}/cmake/openai_hal.pc.in ${PROJECT_BINARY_DIR}/openai_hal.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/openai_hal.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
