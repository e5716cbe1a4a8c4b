//! A bounds-checked reader for lib0's binary encoding (variable-length integers,
//! length-prefixed buffers and strings), the encoding every Yjs message uses.
//!
//! It never allocates and never trusts a length it has not seen the bytes for, so
//! walking a hostile message costs at most one pass over its bytes.

use crate::error::Malformed;

pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    pub(crate) fn read_u8(&mut self) -> Result<u8, Malformed> {
        let byte = *self.buf.get(self.pos).ok_or(Malformed::UnexpectedEnd)?;
        self.pos += 1;
        Ok(byte)
    }

    pub(crate) fn read_exact(&mut self, len: usize) -> Result<&'a [u8], Malformed> {
        let end = self.pos.checked_add(len).ok_or(Malformed::UnexpectedEnd)?;
        let bytes = self
            .buf
            .get(self.pos..end)
            .ok_or(Malformed::UnexpectedEnd)?;
        self.pos = end;
        Ok(bytes)
    }

    /// An unsigned lib0 varint of at most 64 bits.
    pub(crate) fn read_var_u64(&mut self) -> Result<u64, Malformed> {
        let mut value: u64 = 0;
        let mut shift = 0u32;
        loop {
            let byte = self.read_u8()?;
            let bits = u64::from(byte & 0x7f);
            if shift >= 64 || (shift == 63 && bits > 1) {
                return Err(Malformed::VarIntOverflow);
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
            shift += 7;
        }
    }

    /// An unsigned varint that must fit 32 bits, as yrs reads clocks and lengths.
    pub(crate) fn read_var_u32(&mut self) -> Result<u32, Malformed> {
        u32::try_from(self.read_var_u64()?).map_err(|_| Malformed::VarIntOverflow)
    }

    /// A signed lib0 varint, skipped: only its extent matters to a check.
    pub(crate) fn skip_var_i64(&mut self) -> Result<(), Malformed> {
        for _ in 0..10 {
            if self.read_u8()? & 0x80 == 0 {
                return Ok(());
            }
        }
        Err(Malformed::VarIntOverflow)
    }

    pub(crate) fn read_buf(&mut self) -> Result<&'a [u8], Malformed> {
        let len = self.read_var_u32()? as usize;
        self.read_exact(len)
    }

    pub(crate) fn read_string(&mut self) -> Result<&'a str, Malformed> {
        std::str::from_utf8(self.read_buf()?).map_err(|_| Malformed::InvalidUtf8)
    }

    pub(crate) fn expect_end(&self) -> Result<(), Malformed> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Malformed::TrailingBytes)
        }
    }
}

/// Appends lib0's encoding of values to a buffer.
pub(crate) fn write_var_u64(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

pub(crate) fn write_buf(out: &mut Vec<u8>, bytes: &[u8]) {
    write_var_u64(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        for value in [0, 1, 127, 128, 300, u32::MAX as u64, u64::MAX] {
            let mut out = Vec::new();
            write_var_u64(&mut out, value);
            let mut reader = Reader::new(&out);
            assert_eq!(reader.read_var_u64(), Ok(value));
            assert!(reader.is_empty());
        }
    }

    #[test]
    fn overlong_varint_is_rejected() {
        let bytes = [0xffu8; 11];
        assert_eq!(
            Reader::new(&bytes).read_var_u64(),
            Err(Malformed::VarIntOverflow)
        );
        let mut out = Vec::new();
        write_var_u64(&mut out, u64::from(u32::MAX) + 1);
        assert_eq!(
            Reader::new(&out).read_var_u32(),
            Err(Malformed::VarIntOverflow)
        );
    }

    #[test]
    fn a_tenth_byte_may_carry_only_the_sixty_fourth_bit() {
        let mut bytes = [0xffu8; 10];
        bytes[9] = 0x02;
        assert_eq!(
            Reader::new(&bytes).read_var_u64(),
            Err(Malformed::VarIntOverflow)
        );
        let mut zero = [0x80u8; 10];
        zero[9] = 0;
        assert_eq!(Reader::new(&zero).read_var_u64(), Ok(0));
    }

    #[test]
    fn a_length_past_the_end_is_rejected() {
        let bytes = [5u8, b'a', b'b'];
        assert_eq!(
            Reader::new(&bytes).read_buf(),
            Err(Malformed::UnexpectedEnd)
        );
    }
}
