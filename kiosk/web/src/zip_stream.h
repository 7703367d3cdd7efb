// "Download all": the gallery's originals as one ZIP, streamed as it is made. Stored (photos do
// not compress), with data descriptors so no file is read twice; each original is cleaned of
// GPS on the way like a single download (image::without_gps: the CRC and sizes cover the cleaned
// bytes), and one that cannot be cleaned is left out. The loop sends one slice per h2o proceed
// callback, so a 2 GB ZIP never sits in memory; each original is read in and cleaned on a
// file_reads worker while the one before it streams, so the loop never waits on the disk.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "h2o_include.h"
#include "web/server.h"

namespace vk::web {

struct ZipMember {
  std::string name;            // "photo-42.jpg"
  std::filesystem::path path;  // the original in the store
  bool strip_gps = true;       // false: the file as it is (internal gallery, stripping off)
};

// Starts the response (200, application/zip, chunked) and streams every member.
void send_zip(Server::Impl& server, h2o_req_t* req, std::vector<ZipMember> members, const std::string& filename);

}  // namespace vk::web
