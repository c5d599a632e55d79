package facefarm.worker.media;

/** How a media source is named in messages: a file by its path, a presigned URL without its signature. */
public final class Sources {
    private Sources() {
    }

    public static String describe(String source) {
        int query = source.indexOf('?');
        return query < 0 ? source : source.substring(0, query);
    }
}
