import { runningPid } from '../process';
import { partitionProxyRoutes, partitionProxyControlPort } from '../topology';
import { controlApi } from './control-api';
import { PartitionProxy } from './partition-proxy';

/** The cluster profile's partition proxy process (stack/components/partition-proxy.ts starts it). */
async function main(): Promise<void> {
  const proxy = new PartitionProxy(partitionProxyRoutes, runningPid);
  await proxy.listen();
  const control = controlApi(proxy);
  control.listen(partitionProxyControlPort, '127.0.0.1');
  const stop = () => {
    control.close();
    void proxy.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  console.log(
    `partition proxy: ${partitionProxyRoutes.length} routes, control on ${partitionProxyControlPort}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
