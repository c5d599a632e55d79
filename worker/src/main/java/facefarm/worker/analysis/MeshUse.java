package facefarm.worker.analysis;

/** What a chain takes from FaceMesh's dense mesh, which analysis then finds and tracking smooths. */
public enum MeshUse {
    /** No processor works on the mesh: FaceMesh is not loaded. */
    NONE,
    /** The 468 points alone (the lip syncer's mouth). */
    POINTS,
    /** The points and what the mesh swapper reads from the target's pixels along them: the eyes' opening and the light. */
    POINTS_AND_READINGS;

    public boolean any() {
        return this != NONE;
    }
}
