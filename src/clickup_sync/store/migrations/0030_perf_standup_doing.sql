-- The standup's in-progress work per person (analytics/reports.py `doing_and_late`).
--
-- The standup counts each person's open tasks in progress and overdue from the kept
-- counts (0021's open_work_counts) and shows the three in-progress tasks each person
-- updated last. Ranking every open task in scope per person for those three names read
-- ~17k rows in a large Space (~80 ms at 100k tasks). This index holds each person's
-- in-progress open work, latest update first, with its place: a person's three in a Space
-- or Folder are the first few entries of their range.
CREATE INDEX open_assignments_doing_idx
    ON open_assignments (user_id, date_updated DESC, id) INCLUDE (space_id, folder_id)
    WHERE status_type = 'custom';
