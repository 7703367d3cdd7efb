// LibRaw itself: identify a RAW file and take its embedded JPEG preview. These run only inside
// the RAW reader process (raw_reader_main.cpp), never in venuekiosk: LibRaw 0.20 crashes on
// some damaged files (isolated.h). The importer calls identify_raw() and extract_raw_preview()
// (raw_reader.h), which start that process.
#pragma once

#include <cstdint>
#include <span>

#include "raw_reader.h"
#include "vk/result.h"

namespace vk::image::detail {

Result<RawHeader> identify_in_process(std::span<const std::uint8_t> bytes, RawKind signature_kind);
Result<RawPreview> preview_in_process(std::span<const std::uint8_t> bytes);

}  // namespace vk::image::detail
