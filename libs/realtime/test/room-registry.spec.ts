import { RoomRegistry } from '../src/index.js';

describe('RoomRegistry', () => {
  test('reports the last leave of a room', () => {
    const rooms = new RoomRegistry<string>();
    rooms.join('a', 'ward:1');
    rooms.join('b', 'ward:1');
    expect(rooms.leave('a', 'ward:1')).toBe(false);
    expect(rooms.leave('b', 'ward:1')).toBe(true);
    expect(rooms.roomCount).toBe(0);
  });

  test('leaveAll returns the rooms it left empty and forgets the member', () => {
    const rooms = new RoomRegistry<string>();
    rooms.join('a', 'ward:1');
    rooms.join('a', 'patient:1');
    rooms.join('b', 'ward:1');
    expect(rooms.leaveAll('a')).toEqual(['patient:1']);
    expect([...rooms.members('ward:1')]).toEqual(['b']);
    expect(rooms.roomsOf('a').size).toBe(0);
  });
});
