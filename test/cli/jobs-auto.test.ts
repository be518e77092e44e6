/**
 * `--jobs auto` picks worker threads only when they can pay: a large input (64 MiB or more of
 * files) and a second free core; otherwise one thread. The choice is a pure function of the
 * input's size, the cores and the load; the conversion's output is the same either way.
 */
import t from 'tap';
import { AUTO_JOBS_MIN_BYTES, autoJobs } from '../../src/cli/convert.js';

t.test('autoJobs', async (t) => {
  const big = AUTO_JOBS_MIN_BYTES;
  t.equal(autoJobs(big - 1, 8, 0), 1, 'a small input: one thread');
  t.equal(autoJobs(big, 1, 0), 1, 'one core: one thread');
  t.equal(autoJobs(big, 2, 0.1), 2, 'two idle cores: two');
  t.equal(autoJobs(big, 2, 0.8), 1, 'the second core busy: one');
  t.equal(autoJobs(big, 8, 1), 4, 'many idle cores: at most 4');
  t.equal(autoJobs(big, 8, 5.2), 3, 'what the load leaves free');
  t.equal(autoJobs(big, 8, 7.9), 1, 'a busy machine: one');
});
