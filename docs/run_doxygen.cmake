# Test packaging.docs: run doxygen over include/netref.h (with the README
# as the main page) and fail on any warning or error. Arguments: -DDOXYGEN=<exe> -DDOXYFILE=<file> -DOUT=<dir>.
if(NOT DOXYGEN)
  message(FATAL_ERROR "doxygen not found: install it (make deps)")
endif()
file(REMOVE_RECURSE "${OUT}")
file(MAKE_DIRECTORY "${OUT}")
get_filename_component(dir "${DOXYFILE}" DIRECTORY)
execute_process(COMMAND "${DOXYGEN}" "${DOXYFILE}"
  WORKING_DIRECTORY "${dir}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
# QUIET = YES: anything doxygen prints is a warning or an error.
string(STRIP "${out}${err}" text)
if(NOT rc EQUAL 0 OR NOT text STREQUAL "")
  message(FATAL_ERROR "doxygen failed (exit ${rc}):\n${out}${err}")
endif()
if(NOT EXISTS "${OUT}/html/index.html")
  message(FATAL_ERROR "doxygen wrote no ${OUT}/html/index.html")
endif()
# The main page is the README (its quick start), not an empty index.
file(READ "${OUT}/html/index.html" index)
if(NOT index MATCHES "Quick start" OR NOT index MATCHES "make demo")
  message(FATAL_ERROR "${OUT}/html/index.html is not the README")
endif()
message(STATUS "doxygen: no warnings; HTML in ${OUT}/html")
