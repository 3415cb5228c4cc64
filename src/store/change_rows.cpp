#include "store/change_rows.hpp"

#include "store/audit_log.hpp"
#include "store/outbox_rows.hpp"
#include "store/timeline_rows.hpp"

namespace eseal::store {

core::Result<void> write_change(Database& db, const ra::ApplicationChange& change) {
    for (const auto& entry : change.timeline) {
        if (auto r = insert_timeline_entry(db, entry); !r)
            return r;
    }
    for (const auto& message : change.messages) {
        if (auto r = insert_outbox_message(db, message); !r)
            return r;
    }
    return append_audit_event(db, change.event);
}

}  // namespace eseal::store
