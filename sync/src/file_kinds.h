// What a file on a card is, judged by its name only to decide whether to look inside: the
// importer still probes every candidate's bytes, so a mislabelled file is caught there.
#pragma once

#include <string>

namespace vk::sync::detail {

enum class FileKind { photo, raw, video, junk, other };

FileKind classify_by_name(const std::string& filename);
// Lower-case name without the extension, for pairing RAW with JPEG.
std::string stem_key(const std::string& filename);

}  // namespace vk::sync::detail
