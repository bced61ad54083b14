import { ErrorCode } from '../error-codes';
import type { DescribeCluster } from '../protocol/messages/describe-cluster';
import type { Handler } from './context';
import { NODE_ID } from './metadata';

const BROKERS_ENDPOINT = 1;

/** DescribeCluster: this one node is the whole cluster, its only broker and its controller. */
export const handleDescribeCluster: Handler<typeof DescribeCluster> = (req, _ctx, core) => {
  const base = {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    errorMessage: null as string | null,
    endpointType: req.endpointType,
    clusterId: core.clusterId,
    controllerId: NODE_ID,
    brokers: [] as { brokerId: number; host: string; port: number; rack: string | null }[],
    // Authorized operations are not tracked (no ACLs): Kafka's "not requested / unknown" value.
    clusterAuthorizedOperations: -2147483648,
  };
  if (req.endpointType !== BROKERS_ENDPOINT) {
    return {
      ...base,
      errorCode: ErrorCode.MISMATCHED_ENDPOINT_TYPE,
      errorMessage:
        'This endpoint is a broker listener: describe brokers (endpoint type 1), not controllers.',
    };
  }
  const { host, port } = core.advertised();
  return { ...base, brokers: [{ brokerId: NODE_ID, host, port, rack: null }] };
};
