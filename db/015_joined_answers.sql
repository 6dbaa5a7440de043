-- 015_joined_answers: the wajib lapor answers of a report that joined an
-- open visit (the merge of issue 12's items 7 and 9).
--
-- Nothing portable: on SQLite core/answers.c applies the rule itself; on
-- PostgreSQL bk_act_answers (db/pg/015_joined_answers.sql).
SELECT 1;
