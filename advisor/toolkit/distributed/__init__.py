"""Batch and impact diff on Ray: the same work as `advisor batch` / `advisor diff`, over a cluster's workers.

- `rules`: a rules folder as content (the files' bytes), so a remote worker with only the package installed
  builds the same rule set, with the same fingerprint.
- `cluster`: start a local Ray on loopback, or join an existing cluster by address.
- `actor`: the worker, one long-lived Advisor per worker process, built once per rule set.
- `schedule`: partitions of a few hundred cases, in flight a few per worker, results back in input order;
  a killed worker's cases run again, a case that kills its worker every time is an error line; a worker
  whose engine is tainted (a C error in durable) is restarted.
- `jobs`: the workers of one job, started with the rules and checked ready, ended afterwards.
- `batch`, `impact` (with `pair`, one case under old and new rules): the two jobs; batch writes through the
  local batch's writer, so resuming and exactly-once hold as for `--jobs N`.
"""
