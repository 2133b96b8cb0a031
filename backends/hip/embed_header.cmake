# cmake -DINPUT=file -DOUTPUT=file.inc -DSYMBOL=name -P embed_header.cmake
# Writes `static const char SYMBOL[] = {...};` holding INPUT's bytes and a terminating NUL.
file(READ ${INPUT} _hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," _bytes "${_hex}")
# Break the initializer into lines so compilers and diffs stay comfortable.
string(REGEX REPLACE "((('[^']*'),){16})" "\\1\n  " _bytes "${_bytes}")
file(WRITE ${OUTPUT}.tmp "// Generated from ${INPUT}; do not edit.\n"
  "static const char ${SYMBOL}[] = {\n  ${_bytes}'\\0'};\n")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
