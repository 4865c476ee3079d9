import { installPlan, missingPackageLine, type SystemPackage } from './system-package';

const chromium: SystemPackage = {
  debianPackage: 'chromium',
  neededBy: 'test/console',
  find: () => undefined,
};

describe('installing a missing Debian package for the tests', () => {
  it('runs apt-get directly as root', () => {
    expect(installPlan({ isRoot: true, aptGet: '/usr/bin/apt-get', passwordlessSudo: false })).toEqual({
      kind: 'install',
      asRoot: [],
    });
  });

  it('goes through sudo -n when sudo needs no password', () => {
    expect(installPlan({ isRoot: false, aptGet: '/usr/bin/apt-get', passwordlessSudo: true })).toEqual({
      kind: 'install',
      asRoot: ['sudo', '-n'],
    });
  });

  it('says why it cannot without root or without apt-get', () => {
    expect(installPlan({ isRoot: false, aptGet: '/usr/bin/apt-get', passwordlessSudo: false })).toEqual({
      kind: 'cannot',
      why: 'installing needs root (or sudo without a password)',
    });
    expect(installPlan({ isRoot: true, aptGet: undefined, passwordlessSudo: false })).toEqual({
      kind: 'cannot',
      why: 'no apt-get on this machine',
    });
  });

  it('fails the files that need it with one line naming the package and how to get it', () => {
    const line = missingPackageLine(chromium, 'no apt-get on this machine');
    expect(line).toBe(
      'chromium is missing (not installed automatically: no apt-get on this machine): apt-get install -y chromium (needed by test/console)',
    );
    expect(line).not.toContain('\n');
  });

  it('names every package of one install, and --no-install-recommends when asked', () => {
    const podman: SystemPackage = {
      debianPackage: 'podman',
      alsoInstall: ['runc', 'debootstrap'],
      recommends: false,
      neededBy: 'test/deploy/container-image.e2e.test.ts',
      find: () => undefined,
    };
    expect(missingPackageLine(podman, undefined)).toBe(
      'podman is missing: apt-get install -y --no-install-recommends podman runc debootstrap (needed by test/deploy/container-image.e2e.test.ts)',
    );
  });
});
