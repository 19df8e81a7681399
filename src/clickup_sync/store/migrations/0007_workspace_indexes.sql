-- Indexes for the workspace analytics: task search, and finding a task by its name.
--
-- search_tasks matches words (English stemming, word beginnings) in task names and
-- descriptions; the expressions must stay exactly analytics.tasks.NAME_WORDS and TEXT_WORDS
-- for the planner to use these indexes. get_task accepts a task's name, compared
-- case-insensitively.

CREATE INDEX clickup_tasks_name_words_idx ON clickup_tasks
    USING gin (to_tsvector('english', name));
CREATE INDEX clickup_tasks_text_words_idx ON clickup_tasks
    USING gin (to_tsvector('english', coalesce(description, '')));
CREATE INDEX clickup_tasks_lower_name_idx ON clickup_tasks (lower(name));
