/// The images a task's pages show, once linked into the gallery.
struct TaskImages {
  /// The downloaded file (a grid, an upscale, …).
  var original: GalleryImage?
  /// U1–U4 of a split grid, in order.
  var quadrants: [GalleryImage] = []
  /// A thumbnail per quadrant, or one of the whole image.
  var thumbnails: [GalleryImage] = []
  /// True for a grid split into its four quadrants.
  var isGrid: Bool { quadrants.count == 4 }
}
