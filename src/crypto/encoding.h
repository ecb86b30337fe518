#pragma once
// Text encodings of binary data: base64url without padding (JOSE, tokens), standard base64 with
// padding (HTTP Basic), lowercase hex (digests in logs and stores).
//
// Decoders are strict because their input is untrusted and their output is often compared or
// hashed: they reject any character outside the alphabet, lengths no encoder produces, and
// non-zero padding bits. Accepting those would let one byte string have many encodings (a JWS
// signature could be re-spelled into a "different" token that still verifies). They return
// std::nullopt on any such input and never throw. Encoders cannot fail.
//
// Pure functions; thread-safe.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::crypto {

// RFC 4648 §5 alphabet, no '=' padding (RFC 7515 §2).
std::string Base64UrlEncode(std::string_view bytes);
// Appends the encoding of `bytes` to `out` (no intermediate string: the JWT hot path).
void AppendBase64Url(std::string_view bytes, std::string& out);
std::optional<std::string> Base64UrlDecode(std::string_view text);
// Length of Base64UrlEncode(x) for x.size() == n.
constexpr size_t Base64UrlLength(size_t n) { return n / 3 * 4 + (n % 3 == 0 ? 0 : n % 3 + 1); }

// RFC 4648 §4 alphabet with '=' padding to a multiple of four characters.
std::string Base64Encode(std::string_view bytes);
std::optional<std::string> Base64Decode(std::string_view text);

// Two lowercase hex digits per byte.
std::string HexEncode(std::string_view bytes);
// Either case; std::nullopt on an odd length or a non-hex character.
std::optional<std::string> HexDecode(std::string_view text);

// Feeds bytes in pieces of any size and produces the same text as Base64UrlEncode of their
// concatenation; used to encode a JSON serializer's output as it is produced. Not thread-safe.
class Base64UrlStreamEncoder {
 public:
  explicit Base64UrlStreamEncoder(std::string& out) : out_(out) {}
  void Write(std::string_view bytes);
  // Flushes the last partial group. Call exactly once, after the last Write.
  void Finish();

 private:
  std::string& out_;
  unsigned char pending_[2] = {0, 0};
  size_t pending_size_ = 0;
};

}  // namespace gatehouse::crypto
