import t from 'tap';
import { normalize } from '../../src/components/adapters.js';

// Found by the key-order property (seed -914216359): with `ip` before `source_ip`, the alias's
// value was overwritten and lost, and the id depended on the key order.
t.test('two keys naming one field (an alias and the API name): nothing lost, whatever the key order', async (t) => {
  const rec = { ip: null, event_time: '1971-01-01T00:00:00+00:00', action_name: 'CreateJobRun', source_ip: '203.0.113.9' };
  const reversed = Object.fromEntries(Object.entries(rec).reverse());
  const a = normalize('wherobots', rec);
  const b = normalize('wherobots', reversed);
  t.same(a, b, 'the same event for both key orders');
  t.equal(a.actor?.ip, '203.0.113.9', 'the API name wins');
  t.same(a.details, { ip: null }, 'the alias keeps its own name, in details');
});

t.test('two aliases of one field: the smallest key wins, the other stays in details', async (t) => {
  const rec = { 'IP Address': '198.51.100.1', ip: '198.51.100.2', event_time: '2026-08-01T00:00:00Z', action_name: 'CreateJobRun' };
  const a = normalize('wherobots', rec);
  t.same(a, normalize('wherobots', Object.fromEntries(Object.entries(rec).reverse())));
  t.equal(a.actor?.ip, '198.51.100.1');
  t.same(a.details, { ip: '198.51.100.2' });
});
