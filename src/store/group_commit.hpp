#pragma once
// Group commit: one thread owns the write connection and commits everything queued at once.
// With synchronous=FULL each COMMIT waits for the disk, so sharing one COMMIT among all waiting
// callers keeps every write durable when it returns without paying one sync per write.
//
// A job runs under its own SAVEPOINT inside the shared transaction, so a job that fails (a
// duplicate serial) is rolled back alone and only its caller sees the error. With one caller at
// a time this is simply one transaction per job.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "store/database.hpp"

namespace eseal::store {

struct WriterStats {
    std::uint64_t transactions = 0;  // COMMITs that succeeded
    std::uint64_t jobs = 0;          // jobs that succeeded and were committed
};

class GroupCommitWriter {
  public:
    // Writes to the database inside the transaction; an error rolls back only this job.
    using Job = std::function<core::Result<void>(Database&)>;

    explicit GroupCommitWriter(Database db);
    // Finishes every queued job, then stops the thread.
    ~GroupCommitWriter();
    GroupCommitWriter(const GroupCommitWriter&) = delete;
    GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;
    GroupCommitWriter(GroupCommitWriter&&) = delete;
    GroupCommitWriter& operator=(GroupCommitWriter&&) = delete;

    // Blocks until the job is committed (durable) or has failed. Safe from any thread; the job
    // runs on the writer thread while the caller waits, so it may capture the caller's locals.
    [[nodiscard]] core::Result<void> submit(Job job);

    [[nodiscard]] WriterStats stats() const;

  private:
    struct Pending {
        Job job;
        std::promise<core::Result<void>> done;
    };

    void run();
    void commit_batch(std::vector<Pending>& batch);
    [[nodiscard]] core::Result<void> run_job(const Job& job);

    Database m_db;  // touched only by m_thread once it starts
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Pending> m_queue;  // at most one entry per blocked caller, so it stays bounded
    bool m_stopping = false;
    WriterStats m_stats;
    std::thread m_thread;  // last: starts after, and is joined before, everything it uses
};

}  // namespace eseal::store
