# gatehouse_embed(<target> FUNCTION <namespace::Name> FILES <file>...)
# Compiles the files into <target> as a function returning std::span<const core::EmbeddedFile>,
# sorted by file name. Regenerated whenever one of the files changes.
function(gatehouse_embed target)
  cmake_parse_arguments(ARG "" "FUNCTION" "FILES" ${ARGN})
  string(MAKE_C_IDENTIFIER "${ARG_FUNCTION}" id)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/embed_${id}.cc")
  list(SORT ARG_FILES)
  # ';' would split the command line (and ends a shell command); pass the list with '|'.
  string(REPLACE ";" "|" files_arg "${ARG_FILES}")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DFUNCTION=${ARG_FUNCTION} "-DFILES=${files_arg}"
            -P "${CMAKE_SOURCE_DIR}/cmake/EmbedScript.cmake"
    DEPENDS ${ARG_FILES} "${CMAKE_SOURCE_DIR}/cmake/EmbedScript.cmake"
    COMMENT "Embedding ${ARG_FUNCTION}"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
endfunction()

# gatehouse_layer(<name> DEPS <targets>...)
# One static library per source folder (src/<name>), from every .cc file in it and its
# subfolders; an INTERFACE library while the folder has no sources yet.
function(gatehouse_layer name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  if(sources)
    add_library(gh_${name} STATIC ${sources})
    target_include_directories(gh_${name} PUBLIC ${CMAKE_SOURCE_DIR}/src)
    target_link_libraries(gh_${name} PUBLIC ${ARG_DEPS})
  else()
    add_library(gh_${name} INTERFACE)
    target_link_libraries(gh_${name} INTERFACE ${ARG_DEPS})
  endif()
endfunction()
