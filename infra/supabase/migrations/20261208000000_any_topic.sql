-- Unknown topics are kept raw: pos_messages takes any well-formed topic, so that a lane newer than this
-- cloud (a message type the cloud has no derived table for yet) is stored instead of dead-lettered.
-- posbus_private.ingest_batch() already writes derived rows only for the topics it knows
-- (transaction, inventory, customer); a message of any other topic lands in pos_messages and sync_log only.
--
-- Well-formed: 1 to 64 characters, letters, digits, '.', '_', ':' or '-', beginning with a letter or digit
-- (the function checks the same before the write; this is the database's own guard).
alter table public.pos_messages drop constraint if exists pos_messages_topic_check;
-- NOT VALID, then VALIDATE: the scan of existing rows (all of a known topic) does not block writes.
alter table public.pos_messages add constraint pos_messages_topic_well_formed
  check (topic ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$') not valid;
alter table public.pos_messages validate constraint pos_messages_topic_well_formed;
