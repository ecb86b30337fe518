-- Garbage collection walks the grants in (created_at, grant_id) order to find idle ones in bounded
-- batches (src/store/garbage_collection.h); without this index each batch would sort the table.
CREATE INDEX grants_created_id ON grants (created_at, grant_id);
