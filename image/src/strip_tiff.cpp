// GPS out of TIFF structures without moving a byte: TIFF-based RAW files (CR2, NEF, ARW, DNG,
// ORF, RW2, PEF) are read by converters that follow absolute offsets everywhere, so instead of
// rewriting the file the GPS IFD is emptied where it lies, and the place names Nikon and
// Panasonic write into their maker notes are zeroed where they lie. The same walk cleans the
// Exif blocks of PNG and WebP, which are TIFF structures too.
//
// Every offset comes from the file and is checked against its size before use; each IFD is
// visited once (a cycle is an error, not a loop), and the number of IFDs is bounded.
#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <span>
#include <string_view>

#include "byte_reader.h"
#include "jpeg_segments.h"
#include "strip_internal.h"

namespace vk::image::detail {
namespace {

constexpr std::uint16_t kTagGps = 0x8825;
constexpr std::uint16_t kTagExif = 0x8769;
constexpr std::uint16_t kTagSubIfds = 0x014A;
constexpr std::uint16_t kTagXmp = 0x02BC;
constexpr std::uint16_t kTagJpegOffset = 0x0201;  // JPEGInterchangeFormat (previews)
constexpr std::uint16_t kTagJpegLength = 0x0202;
constexpr std::uint16_t kTagRw2JpgFromRaw = 0x002E;  // Panasonic RW2: a full JPEG with its own Exif
constexpr std::uint16_t kTagMakerNote = 0x927C;
// Maker notes that name the place (bodies with a GPS unit write it beside the GPS IFD).
// Nikon "type 3": a TIFF of its own after this header, offsets counted from that TIFF.
constexpr std::string_view kNikonNoteHeader("Nikon\0\x02", 7);
constexpr std::uint64_t kNikonNoteTiffAt = 10;
constexpr std::array<std::uint16_t, 1> kNikonPlaceTags = {0x0039};  // LocationInfo
// Panasonic: an IFD right after this header, offsets counted from the file's own TIFF header.
// Its place tags (as exiftool names them): Location, Country, State, City, Landmark, City2.
constexpr std::string_view kPanasonicNoteHeader("Panasonic\0\0\0", 12);
constexpr std::array<std::uint16_t, 6> kPanasonicPlaceTags = {0x0067, 0x0069, 0x006B, 0x006D, 0x006F, 0x0080};
constexpr std::size_t kMaxIfds = 512;  // far above any camera's, far below a hang
constexpr std::string_view kExifHeader("Exif\0\0", 6);
constexpr std::string_view kXmpHeader("http://ns.adobe.com/xap/1.0/\0", 29);

// Bytes per value of each TIFF field type (0: unknown type, its size cannot be known).
std::uint64_t type_size(std::uint32_t type) {
  switch (type) {
    case 1:
    case 2:
    case 6:
    case 7: return 1;  // BYTE ASCII SBYTE UNDEFINED
    case 3:
    case 8: return 2;  // SHORT SSHORT
    case 4:
    case 9:
    case 11:
    case 13: return 4;  // LONG SLONG FLOAT IFD
    case 5:
    case 10:
    case 12: return 8;  // RATIONAL SRATIONAL DOUBLE
    default: return 0;
  }
}

Error damaged(std::string what) {
  return make_error(ErrorCode::invalid_input, "TIFF structure: " + what);
}

Result<std::vector<Overwrite>> overwrites(std::span<const std::uint8_t> tiff, bool nested);

struct Entry {
  std::uint16_t tag = 0;
  std::uint32_t type = 0;
  std::uint32_t count = 0;
  std::uint64_t at = 0;  // where the entry starts
};

class Walker {
 public:
  Walker(std::span<const std::uint8_t> tiff, bool little) : bytes_(tiff), in_(tiff), little_(little) {}

  Result<std::vector<Overwrite>> run(std::uint32_t first_ifd, bool nested) {
    nested_ = nested;
    pending_.push_back({first_ifd, false});
    while (!pending_.empty()) {
      const auto [offset, gps] = pending_.back();
      pending_.pop_back();
      if (const auto seen = visited_.find(offset); seen != visited_.end()) {
        // One GPS IFD named twice (from IFD0 and the Exif IFD) is harmless: it is emptied once.
        if (gps && seen->second) continue;
        return damaged("an IFD is reached twice (a cycle)");
      }
      visited_.emplace(offset, gps);
      if (visited_.size() > kMaxIfds) return damaged("too many IFDs");
      VK_RETURN_IF_ERROR(gps ? neutralise_gps(offset) : walk(offset));
    }
    return std::move(out_);
  }

 private:
  std::optional<std::uint32_t> u16(std::uint64_t at) const {
    return little_ ? in_.le(static_cast<std::size_t>(at), 2) : in_.be(static_cast<std::size_t>(at), 2);
  }
  std::optional<std::uint32_t> u32(std::uint64_t at) const {
    return little_ ? in_.le(static_cast<std::size_t>(at), 4) : in_.be(static_cast<std::size_t>(at), 4);
  }
  bool fits(std::uint64_t at, std::uint64_t length) const {
    return at <= bytes_.size() && length <= bytes_.size() - at;
  }

  // The IFD's entries, checked to lie inside the buffer.
  Result<std::vector<Entry>> entries(std::uint32_t offset) const {
    const auto count = u16(offset);
    if (!count || !fits(offset, 2 + 12ULL * *count + 4)) return damaged("an IFD runs past the end of the file");
    std::vector<Entry> list;
    list.reserve(*count);
    for (std::uint32_t i = 0; i < *count; ++i) {
      const std::uint64_t at = offset + 2ULL + 12ULL * i;
      list.push_back({static_cast<std::uint16_t>(*u16(at)), *u16(at + 2), *u32(at + 4), at});
    }
    return list;
  }

  // Where an entry's value lies and how long it is; nullopt for an unknown type.
  Result<std::optional<std::pair<std::uint64_t, std::uint64_t>>> value(const Entry& e) const {
    const std::uint64_t size = type_size(e.type) * e.count;
    if (type_size(e.type) == 0) return std::optional<std::pair<std::uint64_t, std::uint64_t>>{};
    if (size <= 4) return std::optional{std::pair{e.at + 8, size}};
    const std::uint64_t at = *u32(e.at + 8);
    if (!fits(at, size)) return damaged("a value lies past the end of the file");
    return std::optional{std::pair{at, size}};
  }

  Result<void> queue_ifds(const Entry& e, bool gps) {
    if (type_size(e.type) != 4 && e.type != 3) return damaged("an IFD pointer has the wrong type");
    VK_ASSIGN_OR_RETURN(const auto where, value(e));
    if (!where) return {};
    const std::uint64_t step = type_size(e.type);
    for (std::uint64_t i = 0; i < e.count; ++i) {
      const auto offset = step == 2 ? u16(where->first + i * 2) : u32(where->first + i * 4);
      if (*offset == 0) continue;  // "no IFD": some writers leave the tag with a zero pointer
      if (!fits(*offset, 2)) return damaged("an IFD pointer leads past the end of the file");
      if (pending_.size() + visited_.size() >= kMaxIfds) return damaged("too many IFDs");
      pending_.push_back({*offset, gps});
    }
    return {};
  }

  Result<void> walk(std::uint32_t offset) {
    VK_ASSIGN_OR_RETURN(const auto list, entries(offset));
    std::optional<std::uint64_t> jpeg_at, jpeg_length;
    for (const auto& e : list) {
      switch (e.tag) {
        case kTagGps: VK_RETURN_IF_ERROR(queue_ifds(e, true)); break;
        case kTagExif:
        case kTagSubIfds: VK_RETURN_IF_ERROR(queue_ifds(e, false)); break;
        case kTagXmp: VK_RETURN_IF_ERROR(clean_xmp(e)); break;
        case kTagMakerNote: VK_RETURN_IF_ERROR(clean_maker_note(e)); break;
        case kTagJpegOffset: jpeg_at = *u32(e.at + 8); break;
        case kTagJpegLength: jpeg_length = *u32(e.at + 8); break;
        case kTagRw2JpgFromRaw:
          if (e.type == 7 || e.type == 1) {
            VK_ASSIGN_OR_RETURN(const auto where, value(e));
            if (where) VK_RETURN_IF_ERROR(clean_embedded_jpeg(where->first, where->second));
          }
          break;
        default: break;
      }
    }
    if (jpeg_at && jpeg_length && fits(*jpeg_at, *jpeg_length)) {
      VK_RETURN_IF_ERROR(clean_embedded_jpeg(*jpeg_at, *jpeg_length));
    }
    const auto next = *u32(offset + 2 + 12ULL * list.size());
    if (next != 0) {
      if (!fits(next, 2)) return damaged("the next IFD lies past the end of the file");
      pending_.push_back({next, false});
    }
    return {};
  }

  // Entry count 0, entries zeroed, out-of-line values zeroed. The next-IFD link stays.
  Result<void> neutralise_gps(std::uint32_t offset) {
    VK_ASSIGN_OR_RETURN(const auto list, entries(offset));
    if (list.empty()) return {};
    out_.push_back({offset, std::string(2 + 12 * list.size(), '\0')});
    for (const auto& e : list) {
      VK_ASSIGN_OR_RETURN(const auto where, value(e));
      if (where && where->second > 4) out_.push_back({where->first, std::string(where->second, '\0')});
    }
    return {};
  }

  Result<void> clean_xmp(const Entry& e) {
    if (e.type != 1 && e.type != 7) return {};  // XMP is BYTE or UNDEFINED by the spec
    VK_ASSIGN_OR_RETURN(const auto where, value(e));
    if (!where || where->second == 0) return {};
    const std::string_view text(reinterpret_cast<const char*>(bytes_.data() + where->first), where->second);
    if (names_gps(text)) out_.push_back({where->first, empty_xmp_packet(text.size())});
    return {};
  }

  // The place names in a Nikon or Panasonic maker note, zeroed where they lie. The note itself
  // stays: a RAW converter reads it (white balance, lens corrections; Nikon's decryption keys).
  // Other makers' notes carry no place and are left alone; a Nikon or Panasonic note that
  // cannot be walked is damage, and the file is refused rather than sent with the place.
  Result<void> clean_maker_note(const Entry& e) {
    if (e.type != 7 && e.type != 1) return {};  // UNDEFINED by the spec; BYTE from some writers
    VK_ASSIGN_OR_RETURN(const auto where, value(e));
    if (!where) return {};
    const auto [at, size] = *where;
    const auto note = bytes_.subspan(static_cast<std::size_t>(at), static_cast<std::size_t>(size));
    const ByteReader in(note);
    if (in.matches(0, kNikonNoteHeader)) {
      if (size < kNikonNoteTiffAt + 8) return damaged("a Nikon maker note is cut short");
      const auto tiff = note.subspan(kNikonNoteTiffAt);
      const ByteReader header(tiff);
      const bool little = header.matches(0, "II");
      if (!little && !header.matches(0, "MM")) return damaged("a Nikon maker note has no byte order mark");
      const Walker inner(tiff, little);
      return zero_tags(inner, *inner.u32(4), kNikonPlaceTags, at + kNikonNoteTiffAt);
    }
    if (in.matches(0, kPanasonicNoteHeader)) {
      return zero_tags(*this, static_cast<std::uint32_t>(at + kPanasonicNoteHeader.size()), kPanasonicPlaceTags, 0);
    }
    return {};
  }

  // Zeroes the values of `tags` in the IFD at `ifd` of `in` (this file, or a maker note's own
  // TIFF, whose offsets start `base` bytes into this one).
  Result<void> zero_tags(const Walker& in, std::uint32_t ifd, std::span<const std::uint16_t> tags, std::uint64_t base) {
    VK_ASSIGN_OR_RETURN(const auto list, in.entries(ifd));
    for (const auto& entry : list) {
      if (std::find(tags.begin(), tags.end(), entry.tag) == tags.end()) continue;
      VK_ASSIGN_OR_RETURN(const auto place, in.value(entry));
      if (place) out_.push_back({base + place->first, std::string(place->second, '\0')});
    }
    return {};
  }

  // A JPEG preview inside the file: cleaned in place, one level deep only.
  Result<void> clean_embedded_jpeg(std::uint64_t at, std::uint64_t length) {
    if (!nested_) embedded_jpeg_overwrites(bytes_, at, length, out_);
    return {};
  }

  struct Pending {
    std::uint32_t offset;
    bool gps;
  };
  std::span<const std::uint8_t> bytes_;
  ByteReader in_;
  bool little_;
  bool nested_ = false;
  std::vector<Pending> pending_;
  std::map<std::uint32_t, bool> visited_;  // offset -> visited as a GPS IFD
  std::vector<Overwrite> out_;
};

Result<std::vector<Overwrite>> overwrites(std::span<const std::uint8_t> tiff, bool nested) {
  const ByteReader in(tiff);
  bool little = false;
  if (in.matches(0, "II")) {
    little = true;
  } else if (!in.matches(0, "MM")) {
    return damaged("no byte order mark");
  }
  const auto magic = little ? in.le(2, 2) : in.be(2, 2);
  const auto first = little ? in.le(4, 4) : in.be(4, 4);
  if (!magic || !first) return make_error(ErrorCode::truncated, "TIFF structure: the header is cut short");
  if (*magic == 43) return make_error(ErrorCode::unsupported, "BigTIFF files are not cleaned of GPS");
  // 42: TIFF; 0x4F52/0x5352: Olympus ORF; 0x55: Panasonic RW2. All keep TIFF's IFD layout.
  if (*magic != 42 && *magic != 0x4F52 && *magic != 0x5352 && *magic != 0x55) return damaged("unknown magic number");
  if (*first < 8 || !in.has(*first, 2)) return damaged("the first IFD lies past the end of the file");
  Walker walker(tiff, little);
  return walker.run(*first, nested);
}

}  // namespace

Result<std::vector<Overwrite>> tiff_gps_overwrites(std::span<const std::uint8_t> tiff) {
  return overwrites(tiff, false);
}

void embedded_jpeg_overwrites(std::span<const std::uint8_t> file, std::uint64_t at, std::uint64_t length,
                              std::vector<Overwrite>& out) {
  if (length < 4 || at > file.size() || length > file.size() - at) return;
  const auto jpeg = file.subspan(static_cast<std::size_t>(at), static_cast<std::size_t>(length));
  for_each_jpeg_segment(jpeg, [&](std::uint8_t marker, std::span<const std::uint8_t> payload) {
    if (marker != 0xE1) return true;
    const std::string_view text(reinterpret_cast<const char*>(payload.data()), payload.size());
    const std::uint64_t base = at + static_cast<std::uint64_t>(payload.data() - jpeg.data());
    if (text.starts_with(kExifHeader)) {
      auto inner = overwrites(payload.subspan(kExifHeader.size()), true);
      if (!inner) {
        // An Exif block we cannot walk inside a preview: blanked whole, which costs the file
        // nothing (the preview's pixels do not depend on it) and leaves no position behind.
        out.push_back({base + kExifHeader.size(), std::string(payload.size() - kExifHeader.size(), '\0')});
        return true;
      }
      for (auto& o : *inner) out.push_back({o.offset + base + kExifHeader.size(), std::move(o.bytes)});
    } else if (text.starts_with(kXmpHeader) && names_gps(text)) {
      out.push_back({base + kXmpHeader.size(), empty_xmp_packet(text.size() - kXmpHeader.size())});
    }
    return true;
  });
}

std::vector<MpfImage> mpf_images(std::span<const std::uint8_t> file, std::uint64_t tiff_at, std::uint64_t tiff_length) {
  // MP Index IFD (CIPA DC-007): tag 0xB002 holds 16-byte entries of attribute, size, offset
  // (from the MP header, 0 for the first image) and two dependent-image numbers.
  std::vector<MpfImage> images;
  if (tiff_at > file.size() || tiff_length > file.size() - tiff_at) return images;
  const auto tiff = file.subspan(static_cast<std::size_t>(tiff_at), static_cast<std::size_t>(tiff_length));
  const ByteReader in(tiff);
  const bool little = in.matches(0, "II");
  if (!little && !in.matches(0, "MM")) return images;
  const auto u16 = [&](std::size_t at) { return little ? in.le(at, 2) : in.be(at, 2); };
  const auto u32 = [&](std::size_t at) { return little ? in.le(at, 4) : in.be(at, 4); };
  const auto ifd = u32(4);
  const auto count = ifd ? u16(*ifd) : std::nullopt;
  if (!count) return images;
  for (std::uint32_t i = 0; i < *count; ++i) {
    const std::size_t entry = *ifd + 2 + 12 * static_cast<std::size_t>(i);
    const auto tag = u16(entry), size = u32(entry + 4), where = u32(entry + 8);
    if (!tag || !size || !where) return images;
    if (*tag != 0xB002 || *size < 16 || *size > 16 * 1024) continue;
    for (std::size_t e = 0; e + 16 <= *size; e += 16) {
      const auto length = u32(*where + e + 4), offset = u32(*where + e + 8);
      if (!length || !offset) break;
      if (*offset == 0) continue;  // the primary image itself
      images.push_back({tiff_at + *offset, *length, tiff_at + *where + e + 8, little});
    }
  }
  return images;
}

std::string apply_overwrites(std::span<const std::uint8_t> bytes, const std::vector<Overwrite>& overwrites) {
  std::string out(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  for (const auto& o : overwrites) {
    if (o.offset >= out.size()) continue;
    const std::size_t n = std::min<std::uint64_t>(o.bytes.size(), out.size() - o.offset);
    out.replace(static_cast<std::size_t>(o.offset), n, o.bytes, 0, n);
  }
  return out;
}

void write_with_overwrites(PieceWriter& out, std::span<const std::uint8_t> bytes, std::uint64_t from, std::uint64_t to,
                           std::vector<Overwrite> overwrites) {
  // Overwrites that touch or nearly touch become one held piece: fewer pieces to send, and the
  // few original bytes between them cost less than another I/O vector.
  constexpr std::uint64_t kJoinGap = 64;
  std::sort(overwrites.begin(), overwrites.end(), [](const auto& a, const auto& b) { return a.offset < b.offset; });
  std::uint64_t at = from;
  std::size_t i = 0;
  while (i < overwrites.size()) {
    const std::uint64_t start = std::max(overwrites[i].offset, at);
    std::uint64_t end = overwrites[i].offset + overwrites[i].bytes.size();
    std::size_t j = i + 1;
    while (j < overwrites.size() && overwrites[j].offset <= end + kJoinGap) {
      end = std::max<std::uint64_t>(end, overwrites[j].offset + overwrites[j].bytes.size());
      ++j;
    }
    end = std::min(end, to);
    if (start < end) {
      out.copy(at, start - at);
      std::vector<Overwrite> group;
      for (std::size_t k = i; k < j; ++k) {
        const auto& o = overwrites[k];
        if (o.offset >= start) {
          group.push_back({o.offset - start, o.bytes});
        } else if (start - o.offset < o.bytes.size()) {  // began in a run already sent: its tail only
          group.push_back({0, o.bytes.substr(static_cast<std::size_t>(start - o.offset))});
        }
      }
      out.hold(apply_overwrites(bytes.subspan(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start)),
                                group));
      at = end;
    }
    i = j;
  }
  out.copy(at, to - std::min(at, to));
}

Result<CleanFile> tiff_without_gps(std::span<const std::uint8_t> bytes) {
  VK_ASSIGN_OR_RETURN(auto list, tiff_gps_overwrites(bytes));
  const bool removed = !list.empty();
  PieceWriter out;
  write_with_overwrites(out, bytes, 0, bytes.size(), std::move(list));
  return std::move(out).finish(removed);
}

}  // namespace vk::image::detail
