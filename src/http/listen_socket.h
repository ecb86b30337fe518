#pragma once
// ListenSocket: a TCP socket bound to an address and listening, before any server uses it. It
// lets a process claim its port before it does anything that cannot be undone (a first start
// prints the once-only project secret: that must not happen for a run that then fails with
// "address in use"). Server::Start adopts it.
//
// Owns the file descriptor (closed by the destructor unless Release()d); move-only. Bind throws
// std::runtime_error "cannot listen on ADDRESS:PORT: REASON" (the address is not a numeric IPv4 or
// IPv6 address, the port is taken, ...). Not thread-safe; it is a start-up object.

#include <cstdint>
#include <string>

namespace gatehouse::http {

class ListenSocket {
 public:
  // `address`: a numeric IPv4 or IPv6 address (no brackets); `port` 0 picks an ephemeral port.
  static ListenSocket Bind(const std::string& address, uint16_t port);

  ListenSocket(ListenSocket&& other) noexcept;
  ListenSocket& operator=(ListenSocket&& other) noexcept;
  ListenSocket(const ListenSocket&) = delete;
  ListenSocket& operator=(const ListenSocket&) = delete;
  ~ListenSocket();

  bool ipv6() const { return ipv6_; }
  // The bound port (the ephemeral one when Bind was given 0).
  uint16_t port() const { return port_; }
  // "ADDRESS:PORT" as Bind was asked, for messages.
  const std::string& where() const { return where_; }
  // Hands the descriptor to the caller, who closes it from now on.
  int Release();

 private:
  ListenSocket(int fd, bool ipv6, uint16_t port, std::string where)
      : fd_(fd), ipv6_(ipv6), port_(port), where_(std::move(where)) {}

  int fd_ = -1;
  bool ipv6_ = false;
  uint16_t port_ = 0;
  std::string where_;
};

}  // namespace gatehouse::http
