#include "http/server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <future>
#include <iostream>
#include <limits>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include <unistd.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include "core/error.h"
#include "core/mutex.h"
#include "http/pipeline.h"
#include "http/response_head.h"
#include "http/responses.h"
#include "http/worker_pool.h"

namespace gatehouse::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using core::Error;
using core::ErrorCode;

constexpr std::string_view kRejectedRoute = "rejected";
constexpr std::string_view kInternalError = "internal server error";
constexpr size_t kFirstReadSize = 4096;
constexpr size_t kMaxIdleBufferCapacity = 16 * 1024;
constexpr size_t kLingerBytes = 256 * 1024;
constexpr std::chrono::milliseconds kMaxLinger{2000};
constexpr std::chrono::milliseconds kMaxLingerWhileStopping{200};
constexpr std::chrono::milliseconds kAcceptBackoff{50};

std::string_view PathOf(std::string_view target) { return target.substr(0, target.find('?')); }

}  // namespace

class Server::Impl {
 public:
  class Session;

  Impl(ServerOptions options, Handler handler)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        id_sequence_(
            static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())),
        ioc_(static_cast<int>(std::max<size_t>(options_.io_threads, 1))),
        acceptor_(asio::make_strand(ioc_)),
        accept_backoff_(acceptor_.get_executor()),
        pool_(options_.worker_threads, options_.max_queued, options_.worker_cpu_slots) {}

  ~Impl() { Stop(); }

  void Start(ListenSocket socket);
  void Stop();
  void RunUntilSignal();
  uint16_t port() const { return port_.load(); }
  size_t QueueDepth() const { return pool_.queued(); }
  size_t ConnectionCount() const {
    core::MutexLock lock(sessions_mu_);
    return sessions_.size();
  }

  // Used by sessions.
  const ServerOptions& options() const { return options_; }
  const Handler& handler() const { return handler_; }
  WorkerPool& pool() { return pool_; }
  bool stopping() const { return stopping_.load(); }
  std::string NewServerRequestId();
  void RecordRejected(std::string_view method, int status) {
    if (options_.metrics) {
      options_.metrics->RecordRequest(kRejectedRoute, method, status, std::chrono::nanoseconds(0));
    }
  }
  // Ends RunUntilSignal's wait.
  void Wake() {
    core::MutexLock lock(wake_mu_);
    woken_ = true;
    wake_cv_.notify_all();
  }
  void Unregister(Session* session) {
    core::MutexLock lock(sessions_mu_);
    sessions_.erase(session);
    if (sessions_.empty()) sessions_cv_.notify_all();
  }

 private:
  void DoAccept();
  void OnAccept(beast::error_code ec, tcp::socket socket);
  // Runs `action` on the strand of every open session.
  void ForEachSession(void (Session::*action)());

  const ServerOptions options_;
  const Handler handler_;
  std::atomic<uint64_t> id_sequence_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint16_t> port_{0};

  // Declared before the io_context and the pool: sessions destroyed with them unregister here.
  mutable core::Mutex sessions_mu_;
  std::condition_variable sessions_cv_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_ GUARDED_BY(sessions_mu_);

  // Serialises Start/Stop; Stop takes the other two mutexes while holding it.
  core::Mutex control_mu_ ACQUIRED_BEFORE(sessions_mu_, wake_mu_);
  bool started_ GUARDED_BY(control_mu_) = false;
  bool stopped_ GUARDED_BY(control_mu_) = false;

  core::Mutex wake_mu_;
  std::condition_variable wake_cv_;
  bool woken_ GUARDED_BY(wake_mu_) = false;

  asio::io_context ioc_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_
      GUARDED_BY(control_mu_);
  tcp::acceptor acceptor_;
  asio::steady_timer accept_backoff_;
  std::vector<std::thread> io_threads_ GUARDED_BY(control_mu_);
  // Declared after the io_context: queued tasks hold sessions whose sockets need it alive.
  WorkerPool pool_;
};

// One TCP connection. Lives as long as an operation or a worker task holds a shared_ptr to it.
// Everything but RunHandler runs on the connection's strand; RunHandler runs on a worker while
// the strand has nothing pending (state kHandling), so request_ is never shared.
class Server::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Impl& server, tcp::socket socket) : server_(server), stream_(std::move(socket)) {
    beast::error_code ec;
    const auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_address_ = endpoint.address().to_string();
  }
  ~Session() { server_.Unregister(this); }

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->WaitForRequest(); });
  }
  auto executor() { return stream_.get_executor(); }

  // Server shutdown, first phase: an idle connection closes now; one reading or handling a
  // request finishes it and closes after the response.
  void BeginShutdown() {
    stopping_ = true;
    if (state_ == State::kIdle) Close();
  }
  // Server shutdown after the drain timeout: close whatever the state.
  void ForceClose() {
    stopping_ = true;
    Close();
  }

 private:
  enum class State { kIdle, kReading, kHandling, kWriting, kClosing, kClosed };

  const ServerOptions& options() const { return server_.options(); }

  // Waits for the first byte of the next request (idle, closable by shutdown), then reads it.
  void WaitForRequest() {
    if (stopping_ || server_.stopping()) return Close();
    state_ = State::kIdle;
    if (buffer_.size() > 0) return ReadHeader(/*start_clock=*/true);  // pipelined request
    if (buffer_.capacity() > kMaxIdleBufferCapacity) buffer_.shrink_to_fit();
    stream_.expires_after(first_request_ ? options().read_timeout : options().idle_timeout);
    stream_.async_read_some(buffer_.prepare(kFirstReadSize),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              if (ec) return self->Close();
                              self->buffer_.commit(n);
                              // The first request's clock started at accept; later ones start at
                              // their first byte.
                              self->ReadHeader(/*start_clock=*/!self->first_request_);
                            });
  }

  void ReadHeader(bool start_clock) {
    state_ = State::kReading;
    first_request_ = false;
    if (start_clock) stream_.expires_after(options().read_timeout);
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(
        std::min<size_t>(options().header_limit, std::numeric_limits<uint32_t>::max())));
    parser_->body_limit(options().body_limit);
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    const auto& message = parser_->get();
    // RFC 9112 §6.3: a request whose transfer coding does not end in chunked has no knowable
    // length; reading it as length 0 would parse its body as the next request (smuggling).
    if (message.count(bhttp::field::transfer_encoding) > 0 && !message.chunked()) {
      return RespondAndClose(400, ErrorCode::kInvalidRequest, "unsupported transfer coding");
    }
    if (parser_->is_done()) return Dispatch();
    const auto expect = message.find(bhttp::field::expect);
    if (expect != message.end() && message.version() >= 11 &&
        beast::iequals(expect->value(), "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      return asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                               [self = shared_from_this()](beast::error_code ec, size_t) {
                                 if (ec) return self->Close();
                                 self->ReadBody();
                               });
    }
    ReadBody();
  }

  void ReadBody() {
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) return self->OnReadError(ec);
                        self->Dispatch();
                      });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == bhttp::error::header_limit) {
      return RespondAndClose(431, ErrorCode::kInvalidRequest, "request header fields too large");
    }
    if (ec == bhttp::error::body_limit) {
      return RespondAndClose(413, ErrorCode::kPayloadTooLarge, "request body too large");
    }
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
        ec == beast::error::timeout || ec == asio::error::operation_aborted ||
        ec == asio::error::eof || ec == asio::error::connection_reset ||
        ec == asio::error::broken_pipe || ec.category() == asio::error::get_system_category()) {
      // The peer left, stalled past the read timeout (the stream is already closed), or the
      // server is closing: nobody to answer.
      return Close();
    }
    RespondAndClose(400, ErrorCode::kInvalidRequest, "malformed HTTP request");
  }

  // An error response made by the server rather than the handler, with a request id of its own
  // in the header and, for the management API shape, in the body.
  Response OwnErrorResponse(std::string_view path, const Error& error) {
    const std::string request_id = server_.NewServerRequestId();
    Response response = ErrorResponseFor(path, error, request_id);
    response.Set("X-Request-Id", request_id);
    return response;
  }

  // A response the server makes itself, followed by closing the connection: what follows an
  // unreadable request in the stream cannot be trusted.
  void RespondAndClose(int status, ErrorCode code, std::string_view description) {
    std::string_view target;
    std::string_view method = "OTHER";
    if (parser_) {
      target = parser_->get().target();
      method = parser_->get().method_string();
    }
    response_ = OwnErrorResponse(PathOf(target), Error(code, description));
    response_.status = status;
    server_.RecordRejected(method, status);
    keep_alive_ = false;
    version_ = 11;
    head_request_ = false;
    Write();
  }

  // Hands the complete request to a worker, or answers 503 when the queue is full.
  void Dispatch() {
    auto& message = parser_->get();
    keep_alive_ = message.keep_alive();
    version_ = message.version() == 10 ? 10 : 11;
    head_request_ = message.method() == bhttp::verb::head;

    request_.method.assign(message.method_string());
    request_.target.assign(message.target());
    const size_t question = request_.target.find('?');
    if (question == std::string::npos) {
      request_.path = request_.target;
      request_.query.clear();
    } else {
      request_.path.assign(request_.target, 0, question);
      request_.query.assign(request_.target, question + 1);
    }
    request_.headers.clear();
    for (const auto& field : message) {
      std::string name(field.name_string());
      for (char& c : name) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      }
      request_.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    request_.body = std::move(message.body());
    request_.remote_address = remote_address_;
    request_.request_id.clear();
    request_.route_name = {};
    request_.path_params.clear();
    parser_.reset();

    state_ = State::kHandling;
    if (!server_.pool().TryPost([self = shared_from_this()] { self->RunHandler(); })) {
      response_ = OwnErrorResponse(request_.path, Error(ErrorCode::kTemporarilyUnavailable,
                                                        "the server is busy, retry later"));
      response_.Set("Retry-After", "1");
      server_.RecordRejected(request_.method, response_.status);
      Write();
    }
  }

  // On a worker thread.
  void RunHandler() {
    Response response;
    try {
      response = server_.handler()(request_);
    } catch (const std::exception& e) {
      std::cerr << "gatehouse: handler threw outside the pipeline: " << e.what() << '\n';
      response = OwnErrorResponse(request_.path, Error(ErrorCode::kServerError, kInternalError));
    } catch (...) {
      response = OwnErrorResponse(request_.path, Error(ErrorCode::kServerError, kInternalError));
    }
    asio::post(stream_.get_executor(),
               [self = shared_from_this(), response = std::move(response)]() mutable {
                 self->response_ = std::move(response);
                 self->Write();
               });
  }

  void Write() {
    if (state_ == State::kClosed) return;
    if (stopping_ || server_.stopping()) keep_alive_ = false;
    state_ = State::kWriting;
    int status = response_.status;
    if (status < 200 || status > 599) {
      response_ = OwnErrorResponse(request_.path, Error(ErrorCode::kServerError, kInternalError));
      status = response_.status;
    }
    // Pipeline responses carry their X-Request-Id; others get one of the server's.
    std::string fallback_id;
    if (request_.request_id.empty() && !response_.Header("X-Request-Id")) {
      fallback_id = server_.NewServerRequestId();
    }
    keep_alive_ = SerializeResponseHead(
        response_, version_, keep_alive_,
        fallback_id.empty() ? std::string_view(request_.request_id) : fallback_id, head_);
    const bool send_body = StatusHasBody(status) && !head_request_ && !response_.body.empty();
    const std::array<asio::const_buffer, 2> buffers = {
        asio::buffer(head_), send_body ? asio::buffer(response_.body) : asio::const_buffer()};
    stream_.expires_after(options().write_timeout);
    asio::async_write(stream_, buffers, [self = shared_from_this()](beast::error_code ec, size_t) {
      self->response_ = Response();
      if (ec) return self->Close();
      if (!self->keep_alive_) return self->LingeringClose();
      self->WaitForRequest();
    });
  }

  // Half-closes, then reads and discards for a moment before closing: closing a socket with
  // unread input sends a reset, which can destroy the response the client has not read yet.
  void LingeringClose() {
    state_ = State::kClosing;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    // While the server drains, a client that keeps its end open must not hold the shutdown.
    const bool stopping = stopping_ || server_.stopping();
    stream_.expires_after(
        std::min(options().read_timeout, stopping ? kMaxLingerWhileStopping : kMaxLinger));
    buffer_.clear();
    Discard();
  }

  void Discard() {
    stream_.async_read_some(buffer_.prepare(kFirstReadSize),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->lingered_ += n;
                              if (ec || self->lingered_ > kLingerBytes) return self->Close();
                              self->Discard();
                            });
  }

  void Close() {
    if (state_ == State::kClosed) return;
    state_ = State::kClosed;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  Impl& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;  // reused across the connection's requests
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Request request_;
  Response response_;
  std::string head_;  // the serialised response head, reused
  std::string remote_address_;
  State state_ = State::kIdle;
  bool first_request_ = true;
  bool keep_alive_ = true;
  bool head_request_ = false;
  bool stopping_ = false;
  unsigned version_ = 11;
  size_t lingered_ = 0;
};

std::string Server::Impl::NewServerRequestId() {
  if (options_.random != nullptr) return NewRequestId(*options_.random);
  // splitmix64 over a sequence: unique and unpredictable enough for correlation ids.
  uint64_t z = id_sequence_.fetch_add(0x9E3779B97F4A7C15ull) + 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(16, '0');
  for (int i = 15; i >= 0; --i, z >>= 4) id[static_cast<size_t>(i)] = kHex[z & 0x0f];
  return id;
}

void Server::Impl::Start(ListenSocket socket) {
  core::MutexLock control(control_mu_);
  if (started_) throw std::logic_error("Server::Start called twice");
  beast::error_code ec;
  const int fd = socket.Release();
  acceptor_.assign(socket.ipv6() ? tcp::v6() : tcp::v4(), fd, ec);
  if (ec) {
    ::close(fd);
    throw std::runtime_error("cannot listen on " + socket.where() + ": " + ec.message());
  }
  port_ = socket.port();
  started_ = true;

  work_.emplace(ioc_.get_executor());
  DoAccept();
  const size_t io_threads = std::max<size_t>(options_.io_threads, 1);
  for (size_t i = 0; i < io_threads; ++i) io_threads_.emplace_back([this] { ioc_.run(); });
}

void Server::Impl::DoAccept() {
  acceptor_.async_accept(asio::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
    OnAccept(ec, std::move(socket));
  });
}

void Server::Impl::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (!acceptor_.is_open() || ec == asio::error::operation_aborted) return;
  if (ec) {
    // Typically EMFILE: back off instead of spinning on a failing accept.
    accept_backoff_.expires_after(kAcceptBackoff);
    accept_backoff_.async_wait([this](beast::error_code wait_ec) {
      if (!wait_ec && acceptor_.is_open()) DoAccept();
    });
    return;
  }
  std::shared_ptr<Session> session;
  {
    core::MutexLock lock(sessions_mu_);
    if (!stopping_ && sessions_.size() < options_.max_connections) {
      session = std::make_shared<Session>(*this, std::move(socket));
      sessions_.emplace(session.get(), session);
    }
  }
  if (session) {
    session->Start();
  } else {
    beast::error_code ignored;
    socket.close(ignored);
  }
  DoAccept();
}

void Server::Impl::ForEachSession(void (Session::*action)()) {
  std::vector<std::shared_ptr<Session>> sessions;
  {
    core::MutexLock lock(sessions_mu_);
    for (auto& [raw, weak] : sessions_) {
      if (auto session = weak.lock()) sessions.push_back(std::move(session));
    }
  }
  for (auto& session : sessions) {
    asio::post(session->executor(), [session, action] { (session.get()->*action)(); });
  }
}

void Server::Impl::Stop() {
  core::MutexLock control(control_mu_);
  if (!started_ || stopped_) return;
  stopping_ = true;
  Wake();

  // 1. Stop accepting (on the acceptor's strand, where accepts complete).
  std::promise<void> closed;
  asio::post(acceptor_.get_executor(), [this, &closed] {
    beast::error_code ignored;
    acceptor_.close(ignored);
    accept_backoff_.cancel();
    closed.set_value();
  });
  closed.get_future().wait();

  // 2. Close idle connections; the others close after their current response.
  ForEachSession(&Session::BeginShutdown);
  {
    core::UniqueLock lock(sessions_mu_);
    sessions_cv_.wait_for(lock.native(), options_.drain_timeout,
                          [this]() REQUIRES(sessions_mu_) { return sessions_.empty(); });
  }

  // 3. Past the drain timeout: close what is left, then let the I/O threads finish.
  ForEachSession(&Session::ForceClose);
  work_.reset();
  {
    core::UniqueLock lock(sessions_mu_);
    sessions_cv_.wait_for(lock.native(), std::chrono::milliseconds(200),
                          [this]() REQUIRES(sessions_mu_) { return sessions_.empty(); });
  }
  ioc_.stop();
  for (auto& thread : io_threads_) thread.join();
  io_threads_.clear();
  // Waits for running handlers (their responses are dropped: the I/O threads are gone) and
  // drops the queued ones.
  pool_.Stop();

  stopped_ = true;
}

void Server::Impl::RunUntilSignal() {
  bool need_start;
  {
    core::MutexLock control(control_mu_);
    if (stopped_) return;
    need_start = !started_;
  }
  if (need_start) Start(ListenSocket::Bind(options_.address, options_.port));
  asio::signal_set signals(ioc_, SIGINT, SIGTERM);
  signals.async_wait([this](beast::error_code ec, int) {
    if (!ec) Wake();
  });
  {
    core::UniqueLock lock(wake_mu_);
    wake_cv_.wait(lock.native(), [this]() REQUIRES(wake_mu_) { return woken_; });
  }
  Stop();
}

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}
Server::~Server() = default;
void Server::Start() {
  impl_->Start(ListenSocket::Bind(impl_->options().address, impl_->options().port));
}
void Server::Start(ListenSocket socket) { impl_->Start(std::move(socket)); }
uint16_t Server::port() const { return impl_->port(); }
void Server::Stop() { impl_->Stop(); }
void Server::RunUntilSignal() { impl_->RunUntilSignal(); }
size_t Server::QueueDepth() const { return impl_->QueueDepth(); }
size_t Server::ConnectionCount() const { return impl_->ConnectionCount(); }

}  // namespace gatehouse::http
