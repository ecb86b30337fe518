#include "app/master_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace gatehouse::app {
namespace {

constexpr size_t kMasterKeyBytes = 32;

std::string Trim(std::string s) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

std::string ParseKeyText(const std::string& text, const std::string& where) {
  const std::string t = Trim(text);
  std::optional<std::string> bytes =
      t.size() == 2 * kMasterKeyBytes ? crypto::HexDecode(t) : crypto::Base64UrlDecode(t);
  if (!bytes || bytes->size() != kMasterKeyBytes) {
    throw ConfigError(where + ": master key must be 32 bytes as 64 hex digits or base64url");
  }
  return *bytes;
}

std::string ReadFile(const std::string& path, const std::string& key_name) {
  std::ifstream in(path);
  if (!in) throw ConfigError(key_name + ": cannot read " + path + ": " + std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

MasterKey ResolveMasterKey(const Config& config, core::Random& random) {
  if (config.master_key)
    return {ParseKeyText(*config.master_key, "master_key"), "master_key", false};
  if (config.master_key_file) {
    return {ParseKeyText(ReadFile(*config.master_key_file, "master_key_file"), "master_key_file"),
            *config.master_key_file, false};
  }
  if (!config.is_sqlite()) {
    throw ConfigError(
        "master_key: set master_key or master_key_file when using PostgreSQL (every gatehouse "
        "process sharing the database needs the same key)");
  }
  const std::filesystem::path path = *MasterKeyFilePath(config);
  if (std::filesystem::exists(path)) {
    return {ParseKeyText(ReadFile(path.string(), "master_key_file"), path.string()), path.string(),
            false};
  }
  const std::string bytes = random.Bytes(kMasterKeyBytes);
  const std::string text = crypto::HexEncode(bytes) + "\n";
  // O_EXCL: two processes starting at once must not both write (and disagree on) the key.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return {ParseKeyText(ReadFile(path.string(), "master_key_file"), path.string()),
              path.string(), false};
    }
    throw ConfigError("master_key_file: cannot create " + path.string() + ": " +
                      std::strerror(errno));
  }
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw ConfigError("master_key_file: cannot write " + path.string());
  std::cerr << "gatehouse: warning: generated a master key in " << path.string()
            << " (mode 0600). Back it up: without it the signing keys cannot be decrypted.\n";
  return {bytes, path.string(), true};
}

std::optional<std::string> MasterKeyFilePath(const Config& config) {
  if (config.master_key) return std::nullopt;
  if (config.master_key_file) return *config.master_key_file;
  if (!config.is_sqlite()) return std::nullopt;
  const std::filesystem::path db(config.sqlite_path());
  return (db.parent_path().empty() ? std::filesystem::path("gatehouse.master_key")
                                   : db.parent_path() / "gatehouse.master_key")
      .string();
}

std::string DeriveKey(const MasterKey& master, std::string_view label) {
  return crypto::HmacSha256(master.bytes, label);
}

}  // namespace gatehouse::app
