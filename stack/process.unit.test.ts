import { commandLineNames } from './process';

const kafkaArgv = [
  '/usr/bin/java',
  '-Xmx512m',
  '-Dlog4j2.configurationFile=/repo/stack/config/log4j2.properties',
  '-cp',
  '/home/s/.stack/cache/kafka/libs/*',
  'kafka.Kafka',
  '/home/s/.stack/run/kafka-server.properties',
];

describe('commandLineNames', () => {
  it('matches a main class given as a whole argument and folders that arguments lie in', () => {
    expect(
      commandLineNames(kafkaArgv, [
        'kafka.Kafka',
        '/home/s/.stack/cache/kafka/libs',
        '/home/s/.stack/run/kafka-server.properties',
      ]),
    ).toBe(true);
  });

  it('matches the value of --key=value and -Dkey=value arguments', () => {
    const argv = ['java', '-jar', '/s/es.jar', '--data-dir=/s/data/elasticsearch', '-Dx.home=/s/cache/x'];
    expect(commandLineNames(argv, ['/s/data/elasticsearch', '/s/cache/x'])).toBe(true);
  });

  it('needs every needle', () => {
    expect(commandLineNames(kafkaArgv, ['org.apache.kafka.connect.cli.ConnectDistributed'])).toBe(false);
    expect(commandLineNames(kafkaArgv, ['kafka.Kafka', '/other/.stack/run/kafka-server.properties'])).toBe(
      false,
    );
  });

  it('matches paths only at a folder boundary', () => {
    expect(commandLineNames(kafkaArgv, ['/home/s/.sta'])).toBe(false);
    expect(commandLineNames(['java', '/home/s/.stack-old/cache/kafka/libs/*'], ['/home/s/.stack'])).toBe(
      false,
    );
  });

  it('does not take a substring of a class name for the class', () => {
    expect(commandLineNames(kafkaArgv, ['Kafka'])).toBe(false);
  });
});
