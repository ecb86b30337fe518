#include "http/access_log.h"

#include <unistd.h>

#include <cerrno>

namespace gatehouse::http {

BufferedAccessLog::BufferedAccessLog(Options options) : options_(options) {
  pending_.reserve(options_.flush_bytes);
  writer_ = std::thread([this] { Run(); });
}

BufferedAccessLog::~BufferedAccessLog() {
  {
    core::MutexLock lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  writer_.join();
  Flush();
}

void BufferedAccessLog::Append(std::string_view line) {
  bool wake = false;
  {
    core::MutexLock lock(mu_);
    if (pending_.size() + line.size() + 1 > options_.max_bytes) {
      ++dropped_;
      return;
    }
    pending_.append(line);
    pending_.push_back('\n');
    wake = pending_.size() >= options_.flush_bytes;
  }
  if (wake) wake_.notify_one();
}

void BufferedAccessLog::Flush() {
  core::MutexLock writing(write_mu_);
  std::string buffer;
  {
    core::MutexLock lock(mu_);
    buffer.swap(pending_);
  }
  WriteOut(buffer);
}

AccessLogSink BufferedAccessLog::Sink() {
  return [this](std::string_view line) { Append(line); };
}

uint64_t BufferedAccessLog::dropped() const {
  core::MutexLock lock(mu_);
  return dropped_;
}

void BufferedAccessLog::Run() {
  std::string buffer;
  buffer.reserve(options_.flush_bytes);
  while (true) {
    {
      core::UniqueLock lock(mu_);
      wake_.wait_for(lock.native(), options_.interval, [this]() REQUIRES(mu_) {
        return stopping_ || pending_.size() >= options_.flush_bytes;
      });
      if (stopping_) return;  // the destructor flushes what is left
      if (pending_.empty()) continue;
    }
    // Lock order everywhere: write_mu_, then mu_. The swap happens under both, the write under
    // write_mu_ only: appenders never wait for the descriptor, and no other flush can write newer
    // lines first.
    core::MutexLock writing(write_mu_);
    {
      core::MutexLock lock(mu_);
      buffer.swap(pending_);
    }
    WriteOut(buffer);
  }
}

void BufferedAccessLog::WriteOut(std::string& buffer) {
  size_t done = 0;
  while (done < buffer.size()) {
    const ssize_t n = ::write(options_.fd, buffer.data() + done, buffer.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      break;  // a closed or broken log descriptor must not take requests down
    }
    done += static_cast<size_t>(n);
  }
  buffer.clear();
}

}  // namespace gatehouse::http
