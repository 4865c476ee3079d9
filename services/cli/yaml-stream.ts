import { stringify } from 'yaml';

/** Kubernetes documents as one YAML stream, each after its `---`, long lines unfolded. */
export function yamlStream(documents: readonly object[]): string {
  return documents.map((document) => `---\n${stringify(document, { lineWidth: 0 })}`).join('');
}
