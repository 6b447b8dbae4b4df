import { UsersService } from './users.service';

const ALICE = '00000000-0000-4000-8000-0000000000a1';
const BOB = '00000000-0000-4000-8000-0000000000b1';

describe('UsersService.credentialsOf', () => {
  function setup() {
    const repository = {
      credentialsOf: jest.fn(async (ids: readonly string[]) =>
        ids
          .filter((id) => id === ALICE || id === BOB)
          .map((id) => ({
            ref: { id, username: id.slice(-2), displayName: id.slice(-2) },
            suspended: id === BOB,
          })),
      ),
    };
    return { service: new UsersService(repository as never), repository };
  }

  it('reads the users of concurrent checks in one query, never from a cache', async () => {
    const { service, repository } = setup();
    const [alice, bob, gone] = await Promise.all([
      service.credentialsOf(ALICE),
      service.credentialsOf(BOB),
      service.credentialsOf('00000000-0000-4000-8000-0000000000c1'),
    ]);
    expect(alice).toMatchObject({ ref: { id: ALICE }, suspended: false });
    expect(bob).toMatchObject({ ref: { id: BOB }, suspended: true });
    expect(gone).toBeNull();
    expect(repository.credentialsOf).toHaveBeenCalledTimes(1);
    await service.credentialsOf(ALICE);
    expect(repository.credentialsOf).toHaveBeenCalledTimes(2);
  });

  it('answers null for an id that is not a UUID without failing the others of its batch', async () => {
    const { service, repository } = setup();
    const [odd, alice] = await Promise.all([
      service.credentialsOf('not-a-uuid'),
      service.credentialsOf(ALICE),
    ]);
    expect(odd).toBeNull();
    expect(alice).toMatchObject({ ref: { id: ALICE } });
    expect(repository.credentialsOf).toHaveBeenCalledWith([ALICE]);
  });
});
