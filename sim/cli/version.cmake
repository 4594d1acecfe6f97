# Writes OUT from IN (sim/cli/fianza_version.h.in) with VERSION and the git
# description of SRC, if any.  Run at every build (the fianza_version target)
# so that a commit shows without re-running cmake; configure_file leaves OUT
# untouched when nothing changed, so nothing is rebuilt then.
set(GIT_SUFFIX "")
find_program(GIT git)
if(GIT)
  execute_process(COMMAND ${GIT} -C ${SRC} describe --tags --always --dirty
                  OUTPUT_VARIABLE desc OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
  if(rc EQUAL 0 AND desc)
    set(GIT_SUFFIX " (git ${desc})")
  endif()
endif()
configure_file(${IN} ${OUT} @ONLY)
