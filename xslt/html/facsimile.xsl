<?xml version="1.0" encoding="UTF-8"?>
<!--
  Facsimiles on a document page (docs/facsimiles.md): the page images beside the text and the
  text's pointers into them. Everything comes from the context's <facsimile> of the document
  (toolkit/tei/facsimile.py reads the TEI; toolkit/outputs/html/facsimiles.py decides each
  surface's image): this file never resolves @facs itself.

  - f:facsimile-viewer: the aside with one link per page image (what a reader without
    JavaScript gets), the IIIF manifest link, and the viewer's files (assets/facsimile.js builds
    OpenSeadragon in it, following the current pb).
  - pb/@facs: a marker (data-surface) and a link to its image before the page break.
  - any other element whose @facs names a zone: its output wrapped in (lb: preceded by) an
    element with data-zone, focusable, so the text and the zone highlight each other.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:m="urn:x-tei-edition:modes"
  exclude-result-prefixes="#all">

  <xsl:key name="fp:facs-target" match="facsimile/target" use="@token"/>

  <!-- the context's facsimile of the document whose page this is -->
  <xsl:function name="fp:facsimile" as="element(facsimile)?">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="f:document($node)/facsimile[surface[@kind != 'none']]"/>
  </xsl:function>

  <!-- the first target of an element's @facs tokens: the surface and zone it names -->
  <xsl:function name="fp:facs-target" as="element(target)?">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="facs" select="fp:facsimile($e)"/>
    <xsl:sequence select="if (exists($facs)) then (for $t in tokenize(normalize-space($e/@facs), ' ') return key('fp:facs-target', $t, root($facs)))[1] else ()"/>
  </xsl:function>

  <xsl:function name="fp:facs-href" as="xs:string">
    <xsl:param name="s" as="element(surface)"/>
    <xsl:param name="root" as="xs:string"/>
    <xsl:sequence select="if ($s/@kind = 'tiles') then concat($root, $s/@link) else f:safe-url($s/@link)"/>
  </xsl:function>

  <xsl:template name="f:facsimile-viewer">
    <xsl:param name="doc" as="element()?"/>
    <xsl:variable name="facs" select="$doc/facsimile[surface[@kind != 'none']]"/>
    <xsl:if test="exists($facs)">
      <aside class="facs" id="facsimile" aria-labelledby="facs-heading" data-pagefind-ignore=""
             data-viewer="{if (normalize-space($facs/@viewer)) then concat($root, $facs/@viewer) else ''}">
        <link rel="stylesheet" href="{$root}assets/facsimile.css"/>
        <h2 id="facs-heading"><xsl:value-of select="f:msg('facs.heading')"/></h2>
        <xsl:if test="$facs/@manifest">
          <!-- IIIF drag-and-drop: the manifest's address, with ?manifest= its absolute URL (what a
               viewer the link is dropped on reads; a static server ignores the query) -->
          <p class="facs-iiif"><a href="{$root}{$facs/@manifest}{if ($facs/@manifest-url) then concat('?manifest=', encode-for-uri($facs/@manifest-url)) else ''}"
            type="application/ld+json" title="{f:msg('facs.manifest-help')}"><xsl:value-of select="f:msg('facs.manifest')"/></a></p>
        </xsl:if>
        <div class="facs-stage" hidden="hidden" role="region" aria-label="{f:msg('facs.stage')}"/>
        <ol class="facs-pages">
          <xsl:for-each select="$facs/surface[@kind != 'none']">
            <li id="facs-{@id}" data-surface="{@id}" data-kind="{@kind}" data-width="{@width}" data-height="{@height}"
                data-x="{@x}" data-y="{@y}">
              <xsl:attribute name="data-src" select="if (@kind = 'tiles') then concat($root, @src) else f:safe-url(@src)"/>
              <xsl:if test="@kind = 'tiles'">
                <xsl:attribute name="data-image-width" select="@image-width"/>
                <xsl:attribute name="data-image-height" select="@image-height"/>
                <xsl:attribute name="data-tile" select="@tile"/>
                <xsl:attribute name="data-scales" select="@scales"/>
              </xsl:if>
              <a href="{fp:facs-href(., $root)}"><xsl:value-of select="f:msg('facs.page', map{'n': string(@label)})"/></a>
              <xsl:for-each select="zone">
                <span class="facs-zone-data" hidden="hidden" data-zone="{@id}" data-x="{@x}" data-y="{@y}" data-w="{@w}" data-h="{@h}"/>
              </xsl:for-each>
            </li>
          </xsl:for-each>
        </ol>
        <xsl:if test="normalize-space($facs/@viewer)">
          <script src="{$root}{$facs/@viewer}openseadragon.min.js" defer=""/>
        </xsl:if>
        <script src="{$root}assets/facsimile.js" defer=""/>
      </aside>
    </xsl:if>
  </xsl:template>

  <!-- a page break with an image: a marker the viewer follows, and the image's link -->
  <xsl:template match="tei:pb[@facs]" mode="m:text" priority="5">
    <xsl:variable name="t" select="fp:facs-target(.)"/>
    <xsl:variable name="s" select="$t/../surface[@id = $t/@surface][@kind != 'none']"/>
    <xsl:if test="exists($s)">
      <a class="facs-pb" data-surface="{$s/@id}" href="{fp:facs-href($s, $root)}" data-pagefind-ignore="">[<xsl:value-of select="f:msg('facs.image', map{'n': string($s/@label)})"/>]</a>
    </xsl:if>
    <xsl:next-match/>
  </xsl:template>

  <!-- text pointing at a zone: linked both ways with the zone on the image -->
  <xsl:template match="tei:lb[@facs]" mode="m:text" priority="5">
    <xsl:variable name="t" select="fp:facs-target(.)[normalize-space(@zone)]"/>
    <xsl:if test="exists($t)">
      <span class="facs-link facs-line" data-zone="{$t/@zone}" data-surface="{$t/@surface}" tabindex="0"
            title="{f:msg('facs.show-line')}" data-pagefind-ignore=""/>
    </xsl:if>
    <xsl:next-match/>
  </xsl:template>
  <!-- a zone of an embedded transcription (sourceDoc) is its own region of the image -->
  <xsl:template match="tei:sourceDoc//tei:zone[@xml:id][not(@facs)]" mode="m:text" priority="5">
    <xsl:variable name="z" select="fp:facsimile(.)/surface[@kind != 'none']/zone[@id = current()/@xml:id]"/>
    <xsl:choose>
      <xsl:when test="exists($z)">
        <div class="facs-link" data-zone="{$z/@id}" data-surface="{$z/../@id}" tabindex="0"><xsl:next-match/></div>
      </xsl:when>
      <xsl:otherwise><xsl:next-match/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="*[@facs][not(self::tei:pb or self::tei:lb)][ancestor::tei:text or ancestor::tei:sourceDoc or self::tei:sourceDoc]" mode="m:text" priority="5">
    <xsl:variable name="t" select="fp:facs-target(.)[normalize-space(@zone)]"/>
    <xsl:choose>
      <xsl:when test="exists($t)">
        <div class="facs-link" data-zone="{$t/@zone}" data-surface="{$t/@surface}" tabindex="0"><xsl:next-match/></div>
      </xsl:when>
      <xsl:otherwise><xsl:next-match/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
