-- Where the sink is in the event stream (the stream's own sequence), written
-- in the same transaction as the rows: the sink resumes right after it.
CREATE TABLE tb_sink_position (
  stream      text   PRIMARY KEY,
  stream_seq  bigint NOT NULL
);
