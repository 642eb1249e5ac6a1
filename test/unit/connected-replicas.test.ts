import { connectedReplicas } from '../../src/redis/replica-check';

describe('connectedReplicas', () => {
  it('reads connected_slaves from an INFO replication reply, with CRLF or LF line ends', () => {
    expect(connectedReplicas('# Replication\r\nrole:master\r\nconnected_slaves:2\r\nslave0:ip=10.0.0.2\r\n')).toBe(2);
    expect(connectedReplicas('# Replication\nrole:master\nconnected_slaves:0\n')).toBe(0);
  });

  it('is undefined when the reply does not say (a managed Redis may trim INFO)', () => {
    expect(connectedReplicas('# Replication\r\nrole:master\r\n')).toBeUndefined();
    expect(connectedReplicas('')).toBeUndefined();
  });
});
