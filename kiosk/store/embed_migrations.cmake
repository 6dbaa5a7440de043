# Writes OUT: a C file with every migration in DIR as a string, so the
# binaries carry their schema (see db/README.md, "Migrations").
#
# A migration NNN_name is DIR/NNN_name.sql, the part both databases run, in
# portable SQL, followed by the dialect's own part when there is one:
# DIR/sqlite/NNN_name.sql or DIR/pg/NNN_name.sql (the same file name).
# Two tables: store_migrations (SQLite: portable + sqlite/) and
# store_migrations_pg (PostgreSQL: portable + pg/). Each entry is the two
# texts joined into one script, which the store runs in the migration's one
# transaction: portable first, then the dialect's part. Nothing else is
# rewritten. A dialect file without a portable file of its name is an error.
file(GLOB FILES "${DIR}/[0-9][0-9][0-9]_*.sql")
list(SORT FILES)
foreach(dialect sqlite pg)
  file(GLOB extra "${DIR}/${dialect}/*.sql")
  foreach(f ${extra})
    get_filename_component(name ${f} NAME)
    if(NOT EXISTS "${DIR}/${name}")
      message(FATAL_ERROR "${f}: no ${DIR}/${name} (a dialect's part needs the portable file of its name)")
    endif()
  endforeach()
endforeach()

# A C array initializer of the bytes of the files given, joined in order. The
# arrays are unsigned char (UTF-8 bytes above 0x7f fit without a conversion
# warning) and the tables point at them as the SQL text, const char *.
function(hex_of var)
  set(all "")
  foreach(f ${ARGN})
    file(READ ${f} hex HEX)
    string(APPEND all "${hex}")
  endforeach()
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," all "${all}")
  set(${var} "${all}" PARENT_SCOPE)
endfunction()

set(body "/* Generated from the db/ migrations by embed_migrations.cmake. Do not edit. */\n#include <stddef.h>\n\n")
set(table "")
set(table_pg "")
set(n 0)
foreach(f ${FILES})
  get_filename_component(name ${f} NAME)
  string(SUBSTRING ${name} 0 3 num)
  math(EXPR ver "${num}")
  foreach(dialect sqlite pg)
    set(files ${f})
    set(label "${name}")
    if(EXISTS "${DIR}/${dialect}/${name}")
      list(APPEND files "${DIR}/${dialect}/${name}")
      set(label "${name} + ${dialect}/${name}")
    endif()
    hex_of(hex ${files})
    string(APPEND body "static const unsigned char ${dialect}${n}[] = {${hex} 0x00};\n")
    if(dialect STREQUAL "sqlite")
      string(APPEND table "    {${ver}, \"${label}\", (const char *)${dialect}${n}},\n")
    else()
      string(APPEND table_pg "    {${ver}, \"${label}\", (const char *)${dialect}${n}},\n")
    endif()
  endforeach()
  math(EXPR n "${n} + 1")
endforeach()
string(APPEND body "\nstruct store_migration { int version; const char *name; const char *sql; };\n")
string(APPEND body "extern const struct store_migration store_migrations[], store_migrations_pg[];\n")
string(APPEND body "extern const size_t store_migrations_count;\n\n")
string(APPEND body "const struct store_migration store_migrations[] = {\n${table}};\n")
string(APPEND body "const struct store_migration store_migrations_pg[] = {\n${table_pg}};\n")
string(APPEND body "const size_t store_migrations_count = ${n};\n")
file(WRITE ${OUT} "${body}")
