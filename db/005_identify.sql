-- 005_identify: the kiosk checks a client's number and birth date right
-- after [verify], before [purpose] (issue 12, item 1).
--
-- Nothing portable: on SQLite core/queue.c (queue_identify) applies the
-- rules itself on the existing tables (verify_failures, client_locks); on
-- PostgreSQL the write is the server's function bk_act_verify
-- (db/pg/005_identify.sql).
SELECT 1;
