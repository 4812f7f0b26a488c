import GRDB

/// The schema, versioned from the first release: each change is a new migration, never an
/// edit of an old one.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: queue messages") { db in
            try db.execute(
                sql: """
                    CREATE TABLE queue_message (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        queue TEXT NOT NULL,
                        message_id TEXT NOT NULL,
                        body TEXT NOT NULL,
                        attributes TEXT NOT NULL,
                        sent_at INTEGER NOT NULL,
                        visible_at INTEGER NOT NULL,
                        receive_count INTEGER NOT NULL,
                        receipt_handle TEXT NOT NULL,
                        first_received_at INTEGER
                    );
                    CREATE INDEX queue_message_order ON queue_message(queue, seq);
                    CREATE INDEX queue_message_handle ON queue_message(queue, receipt_handle);
                    CREATE INDEX queue_message_sent ON queue_message(queue, sent_at);
                    """)
        }
        migrator.registerMigration("v2: async invocations") { db in
            try db.execute(
                sql: """
                    CREATE TABLE async_invocation (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        request_id TEXT NOT NULL UNIQUE,
                        function TEXT NOT NULL,
                        qualifier TEXT NOT NULL,
                        payload TEXT NOT NULL,
                        enqueued_at INTEGER NOT NULL,
                        attempts INTEGER NOT NULL,
                        started_attempts INTEGER NOT NULL,
                        due_at INTEGER NOT NULL,
                        last_response TEXT,
                        executed_version TEXT,
                        function_error TEXT,
                        last_error TEXT
                    );
                    CREATE INDEX async_invocation_by_function ON async_invocation(function, seq);
                    """)
        }
        migrator.registerMigration("v3: stream records and mapping checkpoints") { db in
            try db.execute(
                sql: """
                    CREATE TABLE stream (
                        name TEXT PRIMARY KEY,
                        kind TEXT NOT NULL,
                        shard_count INTEGER NOT NULL,
                        next_sequence INTEGER NOT NULL
                    );
                    CREATE TABLE stream_record (
                        stream TEXT NOT NULL,
                        seq INTEGER NOT NULL,
                        shard INTEGER NOT NULL,
                        partition_key TEXT NOT NULL,
                        data BLOB NOT NULL,
                        change TEXT,
                        arrived_at INTEGER NOT NULL,
                        expired INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (stream, seq)
                    ) WITHOUT ROWID;
                    CREATE INDEX stream_record_shard ON stream_record(stream, shard, expired, seq);
                    CREATE INDEX stream_record_arrival ON stream_record(stream, expired, arrived_at);
                    CREATE TABLE mapping_checkpoint (
                        mapping TEXT NOT NULL,
                        shard INTEGER NOT NULL,
                        sequence INTEGER NOT NULL,
                        PRIMARY KEY (mapping, shard)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v4: resource definitions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE resource_definition (
                        kind TEXT NOT NULL,
                        key TEXT NOT NULL,
                        body TEXT NOT NULL,
                        PRIMARY KEY (kind, key)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v5: bus events accepted and not routed yet") { db in
            try db.execute(
                sql: """
                    CREATE TABLE bus_event (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        bus TEXT NOT NULL,
                        event_id TEXT NOT NULL,
                        body TEXT NOT NULL,
                        UNIQUE (bus, event_id)
                    );
                    """)
        }
        migrator.registerMigration("v6: rule target deliveries not ended yet") { db in
            try db.execute(
                sql: """
                    CREATE TABLE bus_delivery (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        bus TEXT NOT NULL,
                        event_id TEXT NOT NULL,
                        rule TEXT NOT NULL,
                        target_id TEXT NOT NULL,
                        rule_arn TEXT NOT NULL,
                        target_kind TEXT NOT NULL,
                        target_name TEXT NOT NULL,
                        target_arn TEXT NOT NULL,
                        dead_letter_queue TEXT,
                        maximum_retry_attempts INTEGER NOT NULL,
                        maximum_event_age INTEGER NOT NULL,
                        event TEXT NOT NULL,
                        input TEXT NOT NULL,
                        routed_at INTEGER NOT NULL,
                        attempts INTEGER NOT NULL,
                        due_at INTEGER NOT NULL,
                        UNIQUE (bus, event_id, rule, target_id)
                    );
                    CREATE INDEX bus_delivery_by_bus ON bus_delivery(bus, seq);
                    """)
        }
        migrator.registerMigration("v7: stream prune horizons") { db in
            try db.execute(
                sql: """
                    CREATE TABLE stream_prune (
                        stream TEXT NOT NULL,
                        shard INTEGER NOT NULL,
                        pruned_through INTEGER NOT NULL,
                        PRIMARY KEY (stream, shard)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v8: bus accepted history") { db in
            try db.execute(
                sql: """
                    CREATE TABLE bus_history (
                        seq INTEGER PRIMARY KEY,
                        bus TEXT NOT NULL,
                        body TEXT NOT NULL
                    );
                    CREATE INDEX bus_history_by_bus ON bus_history(bus, seq);
                    """)
        }
        return migrator
    }
}
