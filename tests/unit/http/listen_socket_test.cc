#include "http/listen_socket.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace gatehouse::http {
namespace {

std::string BindError(const std::string& address, uint16_t port) {
  try {
    ListenSocket::Bind(address, port);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  ADD_FAILURE() << "Bind succeeded";
  return "";
}

TEST(ListenSocketTest, BindsAnEphemeralPort) {
  const ListenSocket v4 = ListenSocket::Bind("127.0.0.1", 0);
  EXPECT_NE(v4.port(), 0);
  EXPECT_FALSE(v4.ipv6());
  EXPECT_EQ(v4.where(), "127.0.0.1:0");
}

TEST(ListenSocketTest, APortInUseIsRefusedNamingTheAddress) {
  const ListenSocket first = ListenSocket::Bind("127.0.0.1", 0);
  const std::string port = std::to_string(first.port());
  EXPECT_EQ(BindError("127.0.0.1", first.port()),
            "cannot listen on 127.0.0.1:" + port + ": Address already in use");
}

TEST(ListenSocketTest, ANameIsNotAnAddress) {
  EXPECT_EQ(BindError("localhost", 8080), "cannot listen on localhost:8080: invalid address");
  EXPECT_EQ(BindError("", 8080), "cannot listen on :8080: invalid address");
}

TEST(ListenSocketTest, ClosingFreesThePortAndMovingKeepsIt) {
  uint16_t port = 0;
  {
    ListenSocket socket = ListenSocket::Bind("127.0.0.1", 0);
    port = socket.port();
    ListenSocket moved = std::move(socket);
    EXPECT_EQ(moved.port(), port);
    EXPECT_NE(BindError("127.0.0.1", port), "");  // still held by `moved`
  }
  EXPECT_NO_THROW(ListenSocket::Bind("127.0.0.1", port));
}

}  // namespace
}  // namespace gatehouse::http
