// A bounded multi-producer queue drained in batches by one consumer thread. Push never blocks:
// when full (by count, or by bytes when a size function is given), the item is dropped and
// counted. Thread-safe.
//
// Push wakes the consumer only when it is waiting for its first item, or when its batch has
// filled: a request handler pays a futex wake at most once per batch, not once per item.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "absl/base/thread_annotations.h"

namespace agentgate::edge {

template <typename T>
class BoundedQueue {
 public:
  // `size_of` (optional) measures an item for the `max_bytes` bound.
  explicit BoundedQueue(size_t capacity, size_t max_bytes = SIZE_MAX,
                        std::function<size_t(const T&)> size_of = nullptr)
      : capacity_(capacity), max_bytes_(max_bytes), size_of_(std::move(size_of)) {}

  // False (and the item dropped, counted) when the queue is full.
  bool Push(T item) {
    bool wake = false;
    const size_t bytes = size_of_ ? size_of_(item) : 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (items_.size() >= capacity_ || bytes_ + bytes > max_bytes_) {
        dropped_.fetch_add(1, std::memory_order_relaxed);
        return false;
      }
      bytes_ += bytes;
      items_.push_back(std::move(item));
      wake = waiting_ && items_.size() >= wake_at_;
      if (wake) waiting_ = false;
    }
    if (wake) cv_.notify_one();
    return true;
  }

  // Puts a batch that could not be delivered back at the front, in order, as far as it fits.
  void Requeue(std::vector<T> batch) {
    std::lock_guard<std::mutex> lock(mu_);
    size_t room = capacity_ > items_.size() ? capacity_ - items_.size() : 0;
    size_t fit = 0, added = 0;
    for (; fit < batch.size() && fit < room; ++fit) {
      size_t b = size_of_ ? size_of_(batch[fit]) : 0;
      if (bytes_ + added + b > max_bytes_) break;
      added += b;
    }
    if (batch.size() > fit) {
      dropped_.fetch_add(batch.size() - fit, std::memory_order_relaxed);
      batch.resize(fit);
    }
    bytes_ += added;
    items_.insert(items_.begin(), std::make_move_iterator(batch.begin()),
                  std::make_move_iterator(batch.end()));
  }

  // Waits up to `wait` for at least one item (or a Wake); then, for up to `linger`, for more
  // until there are `max`; then takes up to `max` items.
  std::vector<T> PopBatch(size_t max, std::chrono::milliseconds wait,
                          std::chrono::milliseconds linger = std::chrono::milliseconds(0)) {
    std::unique_lock<std::mutex> lock(mu_);
    wake_at_ = 1;
    waiting_ = true;
    cv_.wait_for(lock, wait, [&] { return !items_.empty() || woken_; });
    if (!woken_ && !items_.empty() && items_.size() < max && linger.count() > 0) {
      wake_at_ = max;
      waiting_ = true;
      cv_.wait_for(lock, linger, [&] { return items_.size() >= max || woken_; });
    }
    waiting_ = false;
    woken_ = false;
    std::vector<T> out;
    size_t n = std::min(max, items_.size());
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      if (size_of_) bytes_ -= std::min(bytes_, size_of_(items_.front()));
      out.push_back(std::move(items_.front()));
      items_.pop_front();
    }
    return out;
  }

  // Makes a waiting PopBatch return now.
  void Wake() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      woken_ = true;
    }
    cv_.notify_all();
  }

  size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return items_.size();
  }
  size_t bytes() const {
    std::lock_guard<std::mutex> lock(mu_);
    return bytes_;
  }
  int64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }

 private:
  // Constant after construction.
  const size_t capacity_;
  const size_t max_bytes_;
  const std::function<size_t(const T&)> size_of_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<T> items_ ABSL_GUARDED_BY(mu_);
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  bool waiting_ ABSL_GUARDED_BY(mu_) = false;  // the consumer waits for wake_at_ items
  size_t wake_at_ ABSL_GUARDED_BY(mu_) = 1;
  std::atomic<int64_t> dropped_{0};
};

}  // namespace agentgate::edge
