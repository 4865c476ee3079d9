import { HttpProblem } from '../../shared/http/problem';

/** The access rules of the People API, as 403 problems name them. */
export const peopleRules = {
  agentDetailsAgentsOnly: 'agency-and-licence-agents-only',
  eraseSelfOrOps: 'erase-self-or-ops',
} as const;

export const etag = (version: number) => `"${version}"`;
export const consistencyToken = (id: string, version: number) => `${id}@${version}`;

/** What the erased themselves (and ops) are told about them: 410. */
export function erased(id: string): HttpProblem {
  return new HttpProblem(410, 'Gone', `person ${id} was erased`);
}
