import { hashTag } from '../../src/redis/hash-tag';

describe('the hash tag of a key (what a Redis Cluster hashes)', () => {
  it('is the text inside the first braces', () => {
    expect(hashTag('{snap}:bill:1')).toBe('snap');
    expect(hashTag('{snap}:snap-payments:wait')).toBe('snap');
    expect(hashTag('q{snap}:x')).toBe('snap');
    expect(hashTag('{a}{b}')).toBe('a');
  });

  it('is the whole key when there are no braces, empty braces or no closing brace', () => {
    expect(hashTag('snap:bill:1')).toBe('snap:bill:1');
    expect(hashTag('{}snap')).toBe('{}snap');
    expect(hashTag('{snap')).toBe('{snap');
  });
});
