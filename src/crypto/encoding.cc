#include "crypto/encoding.h"

#include <array>
#include <cstdint>

namespace gatehouse::crypto {
namespace {

constexpr char kBase64UrlAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr uint8_t kInvalid = 0xFF;

constexpr std::array<uint8_t, 256> ReverseTable(const char* alphabet) {
  std::array<uint8_t, 256> table{};
  for (auto& entry : table) entry = kInvalid;
  for (uint8_t i = 0; i < 64; ++i) table[static_cast<unsigned char>(alphabet[i])] = i;
  return table;
}

constexpr auto kBase64UrlReverse = ReverseTable(kBase64UrlAlphabet);
constexpr auto kBase64Reverse = ReverseTable(kBase64Alphabet);

// Appends the encoding of n bytes: whole 3-byte groups, then the tail (padded or not). Writes
// through a pointer into pre-sized storage: per-character push_back showed up in profiles.
void EncodeInto(const unsigned char* in, size_t n, const char* alphabet, bool pad,
                std::string& out) {
  size_t rest = n % 3;
  size_t added = n / 3 * 4 + (rest == 0 ? 0 : (pad ? 4 : rest + 1));
  size_t old_size = out.size();
  out.resize(old_size + added);
  char* p = out.data() + old_size;
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8) | in[i + 2];
    *p++ = alphabet[(v >> 18) & 63];
    *p++ = alphabet[(v >> 12) & 63];
    *p++ = alphabet[(v >> 6) & 63];
    *p++ = alphabet[v & 63];
  }
  if (rest == 0) return;
  uint32_t v = uint32_t{in[i]} << 16;
  if (rest == 2) v |= uint32_t{in[i + 1]} << 8;
  *p++ = alphabet[(v >> 18) & 63];
  *p++ = alphabet[(v >> 12) & 63];
  if (rest == 2) {
    *p++ = alphabet[(v >> 6) & 63];
  } else if (pad) {
    *p++ = '=';
  }
  if (pad) *p++ = '=';
}

// Decodes unpadded text. A final group of one character cannot come from any byte string, and
// the bits a short final group carries beyond its bytes must be zero (canonical encoding).
std::optional<std::string> DecodeUnpadded(std::string_view text,
                                          const std::array<uint8_t, 256>& reverse) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out(text.size() / 4 * 3 + (text.size() % 4 == 0 ? 0 : text.size() % 4 - 1), '\0');
  char* p = out.data();
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    uint8_t v = reverse[static_cast<unsigned char>(c)];
    if (v == kInvalid) return std::nullopt;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      *p++ = static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  if ((acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace

void AppendBase64Url(std::string_view bytes, std::string& out) {
  EncodeInto(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), kBase64UrlAlphabet,
             false, out);
}

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  AppendBase64Url(bytes, out);
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  return DecodeUnpadded(text, kBase64UrlReverse);
}

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  EncodeInto(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), kBase64Alphabet,
             true, out);
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') {
    ++padding;
  }
  // '=' anywhere else (including a third one) is outside the alphabet and rejected below.
  return DecodeUnpadded(text.substr(0, text.size() - padding), kBase64Reverse);
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

std::optional<std::string> HexDecode(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out(text.size() / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i) {
    int high = nibble(text[2 * i]);
    int low = nibble(text[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out[i] = static_cast<char>(high << 4 | low);
  }
  return out;
}

void Base64UrlStreamEncoder::Write(std::string_view bytes) {
  auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = bytes.size();
  // Complete the group left over from the previous Write first.
  while (pending_size_ > 0 && n > 0) {
    if (pending_size_ == 2) {
      unsigned char group[3] = {pending_[0], pending_[1], *in};
      EncodeInto(group, 3, kBase64UrlAlphabet, false, out_);
      pending_size_ = 0;
    } else {
      pending_[pending_size_++] = *in;
    }
    ++in;
    --n;
  }
  size_t whole = n / 3 * 3;
  EncodeInto(in, whole, kBase64UrlAlphabet, false, out_);
  // 0, 1 or 2 bytes remain; when any do, the loop above emptied pending_ (written out so the
  // compiler can see the bound).
  const size_t rest = n - whole;
  if (rest > 0) {
    pending_[0] = in[whole];
    if (rest > 1) pending_[1] = in[whole + 1];
    pending_size_ = rest;
  }
}

void Base64UrlStreamEncoder::Finish() {
  EncodeInto(pending_, pending_size_, kBase64UrlAlphabet, false, out_);
  pending_size_ = 0;
}

}  // namespace gatehouse::crypto
