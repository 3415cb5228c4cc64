#include "store/group_commit.hpp"

#include <exception>
#include <iterator>
#include <utility>

namespace eseal::store {

GroupCommitWriter::GroupCommitWriter(Database db)
    : m_db(std::move(db)), m_thread([this] { run(); }) {}

GroupCommitWriter::~GroupCommitWriter() {
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

core::Result<void> GroupCommitWriter::submit(Job job) {
    std::future<core::Result<void>> done;
    {
        const std::lock_guard lock(m_mutex);
        if (m_stopping)
            return core::fail(core::Errc::internal, "storage.closed", "the store is closing");
        Pending& pending = m_queue.emplace_back(Pending{std::move(job), {}});
        done = pending.done.get_future();
    }
    m_wake.notify_one();
    return done.get();
}

WriterStats GroupCommitWriter::stats() const {
    const std::lock_guard lock(m_mutex);
    return m_stats;
}

void GroupCommitWriter::run() {
    std::vector<Pending> batch;
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty())
                return;  // stopping, and nothing left to write
            batch.assign(std::make_move_iterator(m_queue.begin()),
                         std::make_move_iterator(m_queue.end()));
            m_queue.clear();
        }
        // Callers arriving while this batch commits queue up for the next one.
        commit_batch(batch);
        batch.clear();
    }
}

// The writer thread is an entry point: a job that throws (std::bad_alloc) fails its caller
// rather than terminating the process.
core::Result<void> GroupCommitWriter::run_job(const Job& job) {
    try {
        return job(m_db);
    } catch (const std::exception& e) {
        return core::fail(core::Errc::internal, "storage.job",
                          std::string("write job threw: ") + e.what());
    }
}

void GroupCommitWriter::commit_batch(std::vector<Pending>& batch) {
    std::vector<core::Result<void>> results(batch.size());
    // Fails every job that had not already failed on its own: a batch-wide error
    // (BEGIN, SAVEPOINT or COMMIT failed) means none of them is stored.
    auto fail_remaining = [&](const core::Error& error) {
        for (auto& r : results) {
            if (r)
                r = std::unexpected(error);
        }
        if (m_db.in_transaction())
            (void)m_db.exec("ROLLBACK");  // nothing more to do if it fails
    };
    auto deliver = [&] {
        for (std::size_t i = 0; i < batch.size(); ++i)
            batch[i].done.set_value(std::move(results[i]));
    };

    if (auto begin = m_db.exec("BEGIN IMMEDIATE"); !begin) {
        fail_remaining(begin.error());
        return deliver();
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (auto sp = m_db.exec("SAVEPOINT job"); !sp) {
            fail_remaining(sp.error());
            return deliver();
        }
        results[i] = run_job(batch[i].job);
        auto closed =
            results[i] ? m_db.exec("RELEASE job") : m_db.exec("ROLLBACK TO job; RELEASE job");
        if (!closed || !m_db.in_transaction()) {
            // SQLite rolled the whole transaction back itself (disk full, I/O error).
            fail_remaining(closed ? core::Error{core::Errc::storage,
                                                "storage.rolled_back",
                                                "SQLite rolled the transaction back after: " +
                                                    (results[i] ? std::string("a job")
                                                                : results[i].error().message),
                                                {}}
                                  : closed.error());
            return deliver();
        }
    }
    if (auto commit = m_db.exec("COMMIT"); !commit) {
        fail_remaining(commit.error());
        return deliver();
    }
    {
        const std::lock_guard lock(m_mutex);
        ++m_stats.transactions;
        for (const auto& r : results) m_stats.jobs += r ? 1 : 0;
    }
    deliver();
}

}  // namespace eseal::store
