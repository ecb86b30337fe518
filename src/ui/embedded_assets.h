#pragma once
// The hosted pages' files compiled into the binary (src/ui/CMakeLists.txt, cmake/Embed.cmake):
// Templates() are the mustache templates of src/ui/templates, StaticAssets() the files of
// src/ui/static served under /static/. Both are sorted by file name, immutable and thread-safe.

#include <span>

#include "core/embedded_file.h"

namespace gatehouse::ui {

std::span<const core::EmbeddedFile> Templates();
std::span<const core::EmbeddedFile> StaticAssets();

}  // namespace gatehouse::ui
