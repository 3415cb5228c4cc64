# cmake -DMIGRATIONS_DIR=... -DOUTPUT=... -P embed_migrations.cmake
# Writes a .cpp defining eseal::store::embedded_migrations() from MIGRATIONS_DIR/NNNN_name.sql.
# Versions must run 1, 2, 3, ... with no gap or repeat, so an out-of-order file fails the build.
file(GLOB files RELATIVE ${MIGRATIONS_DIR} ${MIGRATIONS_DIR}/*.sql)
list(SORT files)
set(delimiter "eseal_sql")
set(entries "")
set(expected 1)
foreach(file IN LISTS files)
  if(NOT file MATCHES "^([0-9][0-9][0-9][0-9])_([a-z0-9_]+)\\.sql$")
    message(FATAL_ERROR "migration ${file}: name must be NNNN_lower_case.sql")
  endif()
  string(REGEX REPLACE "^0+" "" version "${CMAKE_MATCH_1}")
  if(NOT version EQUAL expected)
    message(FATAL_ERROR "migration ${file}: expected version ${expected}")
  endif()
  math(EXPR expected "${expected} + 1")
  string(REGEX REPLACE "\\.sql$" "" name "${file}")
  file(READ ${MIGRATIONS_DIR}/${file} sql)
  string(FIND "${sql}" ")${delimiter}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "migration ${file} contains the raw-string delimiter )${delimiter}\"")
  endif()
  string(APPEND entries "    {${version}, \"${name}\", R\"${delimiter}(${sql})${delimiter}\"},\n")
endforeach()
if(expected EQUAL 1)
  message(FATAL_ERROR "no migrations in ${MIGRATIONS_DIR}")
endif()

file(WRITE ${OUTPUT} "\
// Generated from src/store/migrations/*.sql by src/store/embed_migrations.cmake: do not edit.
#include \"store/migrations.hpp\"

namespace eseal::store {
namespace {

constexpr Migration kMigrations[] = {
${entries}};

}  // namespace

std::span<const Migration> embedded_migrations() noexcept { return kMigrations; }

}  // namespace eseal::store
")
