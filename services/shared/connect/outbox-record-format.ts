/**
 * How the connector's Outbox Event Router turns an outbox row into a Kafka record, read
 * from the connector's own config: topic (route.by.field through route.topic.regex /
 * replacement, Kafka's RegexRouter semantics: only a whole match is replaced), key
 * (table.field.event.key), value (table.field.event.payload, relayed as bytes), the `id`
 * header the router always adds, and every `column:header:alias` of
 * table.fields.additional.placement. A republished record is thereby indistinguishable
 * from a relayed one for every consumer.
 */
export interface OutboxRecord {
  topic: string;
  key: string;
  value: Buffer;
  headers: Record<string, string | null>;
  /** The router's `id` header: what identifies the message on Kafka. */
  id: string;
}

export interface OutboxRecordFormat {
  topicFor(routeValue: string): string;
  toRecord(row: Readonly<Record<string, unknown>>): OutboxRecord;
}

const EVENT_ROUTER = 'io.debezium.transforms.outbox.EventRouter';

export function outboxRecordFormat(config: Readonly<Record<string, string>>): OutboxRecordFormat {
  const name = (config.transforms ?? '')
    .split(',')
    .map((t) => t.trim())
    .find((t) => config[`transforms.${t}.type`] === EVENT_ROUTER);
  if (!name) throw new Error(`the connector has no ${EVENT_ROUTER} transform: it does not relay an outbox`);
  const option = (key: string, fallback: string) => config[`transforms.${name}.${key}`] ?? fallback;

  const routeBy = option('route.by.field', 'aggregatetype');
  // Debezium's defaults when the config leaves them out.
  const regex = new RegExp(`^(?:${option('route.topic.regex', '(?<routedByValue>.*)')})$`);
  const replacement = option('route.topic.replacement', 'outbox.event.${routedByValue}');
  const idColumn = option('table.field.event.id', 'id');
  const keyColumn = option('table.field.event.key', 'aggregateid');
  const payloadColumn = option('table.field.event.payload', 'payload');
  const headerColumns = option('table.fields.additional.placement', '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [column, placement, alias] = entry.split(':');
      if (!column || placement !== 'header')
        throw new Error(
          `additional placement "${entry}" is not a header: republishing reproduces header placements only`,
        );
      return { column, header: alias || column };
    });

  const topicFor = (routeValue: string): string => {
    const match = regex.exec(routeValue);
    if (!match) return routeValue;
    return replacement.replace(/\$\{(\w+)\}|\$(\d+)/g, (_, group?: string, index?: string) =>
      String((group === undefined ? match[Number(index)] : match.groups?.[group]) ?? ''),
    );
  };

  return {
    topicFor,
    toRecord: (row) => {
      const value = row[payloadColumn];
      if (!Buffer.isBuffer(value)) throw new Error(`outbox column ${payloadColumn} is not bytes`);
      const id = headerText(row[idColumn]);
      if (id === null) throw new Error(`outbox row without ${idColumn}`);
      const headers: Record<string, string | null> = { id };
      for (const { column, header } of headerColumns) headers[header] = headerText(row[column]);
      return {
        topic: topicFor(String(row[routeBy])),
        key: String(row[keyColumn]),
        value,
        headers,
        id,
      };
    },
  };
}

/** Connect's SimpleHeaderConverter writes numbers and text as their string form, NULL as null. */
function headerText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}
