# Turns every plots/*.gp template into a C string in plot_templates.c, so the
# fianza binary carries its chart templates and runs from anywhere.
#   cmake -DSRC=plots -DOUT=plot_templates.c -P embed.cmake
file(GLOB templates "${SRC}/*.gp")
list(SORT templates)
set(body "/* generated from the plots directory by plots/embed.cmake: do not edit */\n#include \"plot.h\"\n\n")
set(table "")
set(i 0)
foreach(t ${templates})
  get_filename_component(name ${t} NAME_WE)
  file(READ ${t} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(APPEND body "static const char t${i}[] = {${bytes}0x00};\n")
  string(APPEND table "    {\"${name}\", t${i}},\n")
  math(EXPR i "${i} + 1")
endforeach()
string(APPEND body "\nconst plot_template plot_templates[] = {\n${table}    {0, 0}};\n")
file(WRITE ${OUT}.new "${body}")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.new ${OUT})
