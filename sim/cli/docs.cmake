# fianza.1 and fianza.bash in DIR, printed by BIN (the built fianza) from the
# texts of its --help (sim/cli/help.h).
foreach(pair "--help-man:fianza.1" "--help-bash:fianza.bash")
  string(REPLACE ":" ";" pair "${pair}")
  list(GET pair 0 opt)
  list(GET pair 1 file)
  execute_process(COMMAND ${BIN} ${opt} OUTPUT_FILE ${DIR}/${file}.new RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${BIN} ${opt} failed (${rc})")
  endif()
  file(RENAME ${DIR}/${file}.new ${DIR}/${file})
endforeach()
