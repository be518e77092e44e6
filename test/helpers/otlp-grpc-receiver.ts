/**
 * A real OTLP/gRPC logs receiver on 127.0.0.1 (ephemeral port): `LogsService/Export` served by
 * @grpc/grpc-js, each request decoded with protobufjs and the OTLP definitions (as the HTTP
 * receiver does), with the metadata it came with.
 */
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { decode, type ReceivedRecord } from './otlp-receiver.js';

const passThrough = (b: Buffer): Buffer => b;
const LOGS_SERVICE = {
  Export: {
    path: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
    requestStream: false,
    responseStream: false,
    requestSerialize: passThrough,
    requestDeserialize: passThrough,
    responseSerialize: passThrough,
    responseDeserialize: passThrough,
  },
};

export class OtlpGrpcReceiver {
  readonly records: ReceivedRecord[] = [];
  readonly metadata: Record<string, unknown>[] = [];
  private readonly server = new Server();
  url = '';

  async start(): Promise<this> {
    this.server.addService(LOGS_SERVICE, {
      Export: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
        this.records.push(...decode('application/x-protobuf', call.request));
        this.metadata.push(call.metadata.getMap());
        callback(null, Buffer.alloc(0)); // an empty ExportLogsServiceResponse: full success
      },
    });
    const port = await new Promise<number>((resolve, reject) => {
      this.server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
    });
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.tryShutdown(() => resolve());
    });
  }
}
