// Just enough JPEG reading for the browser test: is it a whole JPEG, and does its EXIF block
// point at a GPS directory (tag 0x8825 in IFD0)?

export function isWholeJpeg(bytes) {
  const n = bytes.length;
  return n > 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff && bytes[n - 2] === 0xff && bytes[n - 1] === 0xd9;
}

function exifTiff(bytes) {
  let pos = 2;
  while (pos + 4 <= bytes.length && bytes[pos] === 0xff) {
    const marker = bytes[pos + 1];
    if (marker === 0xda || marker === 0xd9) return null;  // image data: no EXIF after this
    const length = bytes.readUInt16BE(pos + 2);
    if (marker === 0xe1 && bytes.toString('latin1', pos + 4, pos + 10) === 'Exif\0\0') {
      return bytes.subarray(pos + 10, pos + 2 + length);
    }
    pos += 2 + length;
  }
  return null;
}

export function hasGps(bytes) {
  const tiff = exifTiff(bytes);
  if (tiff === null || tiff.length < 8) return false;
  const little = tiff[0] === 0x49;
  const u16 = (at) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd0 = u32(4);
  if (ifd0 + 2 > tiff.length) return false;
  const entries = u16(ifd0);
  for (let i = 0; i < entries && ifd0 + 2 + 12 * (i + 1) <= tiff.length; ++i) {
    if (u16(ifd0 + 2 + 12 * i) === 0x8825) return true;
  }
  return false;
}
