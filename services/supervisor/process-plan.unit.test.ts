import { parseOnly, parseReplicas, planProcesses, processLabel } from './process-plan';

const known = ['property', 'search', 'analytics'];

describe('process plan', () => {
  it('runs every service once by default, in catalog order', () => {
    const plan = planProcesses(parseOnly(undefined, known), parseReplicas([''], known));
    expect(plan.map(processLabel)).toEqual(['property', 'search', 'analytics']);
  });

  it('--only keeps catalog order and refuses unknown names', () => {
    expect(parseOnly('search, property', known)).toEqual(['property', 'search']);
    expect(() => parseOnly('search,billing', known)).toThrow('--only: unknown service billing');
  });

  it('--replicas runs numbered replicas; repeated and comma-separated forms combine', () => {
    const replicas = parseReplicas(['search=2', 'property=3,analytics=1'], known);
    const plan = planProcesses(known, replicas);
    expect(plan.map(processLabel)).toEqual([
      'property#1',
      'property#2',
      'property#3',
      'search#1',
      'search#2',
      'analytics',
    ]);
    expect(plan.filter((p) => p.service === 'search').map((p) => p.replicas)).toEqual([2, 2]);
  });

  it('names the bad part of a --replicas value', () => {
    expect(() => parseReplicas(['search'], known)).toThrow('--replicas "search": expected <service>=<count>');
    expect(() => parseReplicas(['billing=2'], known)).toThrow('unknown service');
    expect(() => parseReplicas(['search=0'], known)).toThrow('1 to 16');
    expect(() => planProcesses(['property'], parseReplicas(['search=2'], known))).toThrow(
      'search is not among the services to run',
    );
  });
});
