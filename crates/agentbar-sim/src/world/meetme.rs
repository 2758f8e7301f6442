//! MeetMe rooms: joining, leaving, kick, mute, lock. An empty room disappears.

use crate::error::{SimError, SimResult};
use crate::model::{ChannelState, Location, Room, RoomMember};

use super::World;

impl World {
    /// Puts an answered leg into `room`, creating it. A locked room refuses and the leg hangs up.
    pub fn join_room(&mut self, name: &str, room: &str) -> SimResult<()> {
        if self.rooms.get(room).is_some_and(|r| r.locked) {
            self.hangup_many(vec![name.to_owned()]);
            return Err(SimError::InvalidState(format!(
                "conference {room} is locked"
            )));
        }
        let c = self.chan_mut(name)?;
        c.state = ChannelState::Up;
        c.location = Location::Room {
            room: room.to_owned(),
        };
        c.peer = None;
        c.linked = false;
        let (callerid, calleridname) = (c.callerid.clone(), c.calleridname.clone());
        let r = self.rooms.entry(room.to_owned()).or_insert_with(|| Room {
            number: room.to_owned(),
            members: Vec::new(),
            locked: false,
            next_user_no: 1,
        });
        r.members.push(RoomMember {
            user_no: r.next_user_no,
            channel: name.to_owned(),
            callerid,
            calleridname,
            muted: false,
        });
        r.next_user_no += 1;
        Ok(())
    }

    pub(super) fn leave_room(&mut self, room: &str, channel: &str) {
        if let Some(r) = self.rooms.get_mut(room) {
            r.members.retain(|m| m.channel != channel);
            if r.members.is_empty() {
                self.rooms.remove(room);
            }
        }
    }

    fn room_member(&self, room: &str, user_no: u32) -> SimResult<&RoomMember> {
        self.rooms
            .get(room)
            .ok_or_else(|| SimError::not_found("conference", room))?
            .members
            .iter()
            .find(|m| m.user_no == user_no)
            .ok_or_else(|| SimError::not_found("conference user", format!("{room} #{user_no:02}")))
    }

    /// Removes a member and hangs its leg up.
    pub fn meetme_kick(&mut self, room: &str, user_no: u32) -> SimResult<()> {
        let ch = self.room_member(room, user_no)?.channel.clone();
        self.hangup_many(vec![ch]);
        Ok(())
    }

    /// Mutes or unmutes a member.
    pub fn meetme_mute(&mut self, room: &str, user_no: u32, muted: bool) -> SimResult<()> {
        self.room_member(room, user_no)?;
        if let Some(m) = self
            .rooms
            .get_mut(room)
            .and_then(|r| r.members.iter_mut().find(|m| m.user_no == user_no))
        {
            m.muted = muted;
        }
        Ok(())
    }

    /// Locks or unlocks a room.
    pub fn meetme_lock(&mut self, room: &str, locked: bool) -> SimResult<()> {
        let r = self
            .rooms
            .get_mut(room)
            .ok_or_else(|| SimError::not_found("conference", room))?;
        r.locked = locked;
        Ok(())
    }
}
